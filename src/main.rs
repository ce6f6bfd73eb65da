fn main() {
    std::process::exit(portfolio_desk::cli::main());
}
