use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = kubeward_dev::repo_root();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["docs"] => match kubeward_dev::write_all(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("cargo dev docs: {e}");
                ExitCode::FAILURE
            }
        },
        ["docs", "--check"] => {
            let stale = kubeward_dev::stale_files(&root);
            for p in &stale {
                eprintln!("stale: {} (run `cargo dev docs`)", p.display());
            }
            if stale.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: cargo dev docs [--check]");
            ExitCode::from(2)
        }
    }
}
