pub fn now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}
