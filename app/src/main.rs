fn main() {
    eventlab_app::start();
}
