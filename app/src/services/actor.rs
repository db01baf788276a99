/// Who is acting. Every write in the service layer takes one, so that the
/// identity issue only changes where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
}

impl Actor {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into() }
    }
}
