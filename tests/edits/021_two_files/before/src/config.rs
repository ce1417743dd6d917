pub struct Config {
    pub verbose: bool,
}
