//! seedrs - the seed bug in Rust: a thread_local! session used by touch() on the request thread
//! and read again by at_exit(), which a Python atexit callback calls. Where the thread's
//! thread_locals are destroyed before Python's atexit callbacks run (uWSGI), Rust's std refuses
//! the access: `LocalKey::with` panics ("cannot access a Thread Local Storage value during or
//! after destruction"), which PyO3 turns into a Python PanicException.
use pyo3::prelude::*;
use std::cell::RefCell;

struct Session {
    hits: u64,
    name: String,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.name.clear();
    }
}

thread_local! {
    static RUST_SESSION: RefCell<Session> = RefCell::new(Session { hits: 0, name: String::from("rust-session") });
}

#[pyfunction]
fn touch() -> u64 {
    RUST_SESSION.with(|s| {
        let mut s = s.borrow_mut();
        s.hits += 1;
        s.hits
    })
}

#[pyfunction]
fn at_exit() -> u64 {
    RUST_SESSION.with(|s| s.borrow().hits + s.borrow().name.len() as u64)
}

#[pymodule]
fn seedrs(_py: Python, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(touch, m)?)?;
    m.add_function(wrap_pyfunction!(at_exit, m)?)?;
    Ok(())
}
