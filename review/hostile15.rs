// hostile15.rs MODE: thread_local! Drop that exits, panics, spawns, sets another thread_local,
// aborts; process::exit during main's TLS destructor; panics in main; SIGPIPE; stack overflows.
// Built with and without -C panic=abort. review/run-hostile15.sh
// thread_local Drop that exits, panics, spawns, forks-like; panic=abort build too
use std::cell::RefCell;
use std::io::Write;
struct D(u32, String);
impl Drop for D {
    fn drop(&mut self) {
        let mut o = std::io::stdout().lock();
        writeln!(o, "drop {}", self.0).ok(); o.flush().ok(); drop(o);
        match self.1.as_str() {
            "exit" => std::process::exit(3),
            "panic" => panic!("panic in drop"),
            "spawn" => { let h = std::thread::spawn(|| { println!("spawned in drop"); }); h.join().ok(); }
            "tlagain" => { T2.with(|t| *t.borrow_mut() = Some(D(200, String::new()))); }
            "abort" => std::process::abort(),
            _ => {}
        }
    }
}
thread_local!(static T: RefCell<Option<D>> = RefCell::new(None));
thread_local!(static T2: RefCell<Option<D>> = RefCell::new(None));
fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let m2 = mode.clone();
    let h = std::thread::spawn(move || { T.with(|t| *t.borrow_mut() = Some(D(1, m2))); println!("thread body"); });
    let r = h.join();
    println!("joined err={}", r.is_err());
    if mode == "mainexit" {
        T.with(|t| *t.borrow_mut() = Some(D(2, "exit".into())));
        std::process::exit(4);
    }
    if mode == "mainreturn" {
        T.with(|t| *t.borrow_mut() = Some(D(2, "exit".into())));
    }
    if mode == "panicmain" { panic!("main panics"); }
    if mode == "sigpipe" { let mut c = std::process::Command::new("true").stdin(std::process::Stdio::piped()).spawn().unwrap(); let mut i = c.stdin.take().unwrap(); c.wait().ok(); let r = i.write_all(&[0u8; 100000]); println!("write to closed pipe: {:?}", r.map_err(|e| e.kind())); }
    if mode == "stackoverflow" { fn rec(n: u64) -> u64 { let a = [n; 64]; if n == 0 { 0 } else { rec(n - 1) + a[3] } } println!("{}", rec(u64::MAX)); }
    if mode == "threadoverflow" { let h = std::thread::Builder::new().stack_size(64 << 10).spawn(|| { fn rec(n: u64) -> u64 { let a = [n; 64]; if n == 0 { 0 } else { rec(n - 1) + a[3] } } rec(u64::MAX) }).unwrap(); println!("{:?}", h.join().is_err()); }
}
