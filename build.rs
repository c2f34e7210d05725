//! Rebuild when a migration or a message catalog changes: both are embedded at compile time.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=locales");
}
