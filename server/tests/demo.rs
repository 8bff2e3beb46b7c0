//! The README's first command, `alongside-server demo`, must keep telling the
//! truth: its devices converge.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_devices_converge() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    assert!(alongside_server::demo::run().await?, "the demo's devices did not converge");
    Ok(())
}
