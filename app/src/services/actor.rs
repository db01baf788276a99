use crate::domain::audit::ActorKind;

/// Who is acting, as the audit trail records it. Every write in the service
/// layer takes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    /// A user's subject, a token's name, or the part of the system acting.
    pub name: String,
    pub display_name: Option<String>,
    pub roles: Vec<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl Actor {
    /// The system itself (demo loader, importer, the local API before sign-in).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            kind: ActorKind::System,
            name: name.into(),
            display_name: None,
            roles: Vec::new(),
            ip: None,
            user_agent: None,
        }
    }

    /// Where the request came from.
    pub fn from_origin(mut self, ip: Option<String>, user_agent: Option<String>) -> Self {
        self.ip = ip;
        self.user_agent = user_agent;
        self
    }
}
