//! The README's first command, `cargo run -p alongside-e2e --bin demo`, must
//! keep telling the truth: its devices converge (it exits 0 only then).

use std::process::Command;

#[test]
fn the_demo_devices_converge() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let output = Command::new(env!("CARGO_BIN_EXE_demo")).output()?;
    let story = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the demo's devices did not converge:\n{story}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(story.contains("the phone and the tablet hold the same"), "{story}");
    Ok(())
}
