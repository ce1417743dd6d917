pub struct Config {
    pub verbose: bool,
    pub quiet: bool,
}
