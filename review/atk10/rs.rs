// rs.rs - a Rust program: threads with thread_local Drop, a panic in a thread, process::exit
use std::cell::RefCell;
struct D(u32);
impl Drop for D { fn drop(&mut self) { println!("drop {}", self.0); } }
thread_local!(static T: RefCell<Option<D>> = RefCell::new(None));
fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let hs: Vec<_> = (0..3).map(|i| std::thread::spawn(move || { T.with(|t| *t.borrow_mut() = Some(D(i))); })).collect();
    for h in hs { h.join().unwrap(); }
    let r = std::thread::spawn(|| panic!("boom")).join();
    println!("thread panicked {}", r.is_err());
    T.with(|t| *t.borrow_mut() = Some(D(99)));
    match mode.as_str() {
        "exit" => std::process::exit(3),
        "panic" => panic!("main panics"),
        "abort" => std::process::abort(),
        _ => {}
    }
}
