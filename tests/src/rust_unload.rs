// rust_unload.rs - a Rust cdylib loaded with dlopen, used on a thread, dlclosed while that thread
// lives; then the thread exits (rust_unload_host.c).
// - rs_unload_tls: a thread_local! whose value has a Drop impl. std registers its destructor with
//   __cxa_thread_atexit_impl and this library's __dso_handle, so glibc keeps the library loaded
//   until the destructor ran: dlclose does not unload it, the destructor runs fine.
// - rs_unload_key: a pthread key whose destructor is this library's code (a Rust function, its
//   name mangled), never deleted, as std's own fallback for thread-local destructors does where
//   __cxa_thread_atexit_impl is missing: dlclose unloads the library, and at the thread's exit
//   glibc calls the destructor at an unmapped address: SIGSEGV.
use std::cell::RefCell;
use std::os::raw::{c_int, c_uint, c_void};

extern "C" {
    fn pthread_key_create(key: *mut c_uint, dtor: Option<extern "C" fn(*mut c_void)>) -> c_int;
    fn pthread_setspecific(key: c_uint, value: *const c_void) -> c_int;
}

pub struct Conn {
    id: u32,
}

impl Drop for Conn {
    fn drop(&mut self) {
        eprintln!("Conn {} dropped", self.id);
    }
}

thread_local! {
    static CONN: RefCell<Option<Conn>> = RefCell::new(None);
}

// not #[no_mangle]: its symbol is a mangled Rust name
extern "C" fn conn_key_dtor(value: *mut c_void) {
    unsafe { drop(Box::from_raw(value as *mut Conn)) };
}

#[no_mangle]
pub extern "C" fn rs_unload_tls(id: u32) {
    CONN.with(|c| *c.borrow_mut() = Some(Conn { id }));
}

#[no_mangle]
pub extern "C" fn rs_unload_key(id: u32) {
    let mut key: c_uint = 0;
    unsafe {
        if pthread_key_create(&mut key, Some(conn_key_dtor)) == 0 {
            pthread_setspecific(key, Box::into_raw(Box::new(Conn { id })) as *const c_void);
        }
    }
}
