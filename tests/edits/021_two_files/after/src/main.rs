mod config;

fn main() {
    let config = config::Config { verbose: false, quiet: true };
    run(&config);
}
