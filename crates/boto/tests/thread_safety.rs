//! The layers are `Send + Sync` and cheap to clone, so they can be passed to threads and tasks.

fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}

#[test]
fn sessions_clients_and_resources_are_send_sync() {
    assert_send_sync::<boto::Session>();
    assert_send_sync::<boto::Client>();
    assert_send_sync::<boto::resource::ServiceResource>();
    assert_send_sync::<boto::resource::Resource>();
    assert_send_sync::<boto::resource::Collection>();
    assert_send_sync::<boto::blocking::Session>();
    assert_send_sync::<boto::blocking::Client>();
    assert_send_sync::<boto::blocking::Resource>();
}
