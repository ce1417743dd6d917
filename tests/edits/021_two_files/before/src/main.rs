mod config;

fn main() {
    let config = config::Config { verbose: false };
    run(&config);
}
