// rust_tls.rs - a Rust thread_local! with a Drop impl, used on the main thread and on a spawned
// thread. Rust's std registers the destructor through __cxa_thread_atexit_impl, called through its
// GOT (a weak extern), not a PLT.
use std::cell::RefCell;

struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("drop {}", self.0);
    }
}

thread_local! {
    static RUST_TLS: RefCell<Noisy> = RefCell::new(Noisy("rust_tls"));
}

fn main() {
    RUST_TLS.with(|v| println!("main uses {}", v.borrow().0));
    std::thread::spawn(|| RUST_TLS.with(|v| println!("thread uses {}", v.borrow().0)))
        .join()
        .unwrap();
    std::process::exit(4);
}
