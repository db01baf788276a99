use crate::domain::access::{Principal, Reach, RoleSet, ScopeSet};
use crate::domain::audit::ActorKind;
use crate::domain::promotion::Reviewer;

/// Who is acting: what the permission function judges and what the audit
/// trail records. Every service function takes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    /// A user's subject, a token's name, or the part of the system acting.
    pub name: String,
    pub display_name: Option<String>,
    pub principal: Principal,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// A person's identity-provider groups: a service's owners may be one.
    pub groups: Vec<String>,
}

impl Actor {
    /// The system itself (demo loader, importer, command line).
    pub fn new(name: impl Into<String>) -> Self {
        Self::with(ActorKind::System, name.into(), Principal::System)
    }

    /// A person signed in through the identity provider.
    pub fn user(subject: impl Into<String>, display_name: Option<String>, roles: RoleSet) -> Self {
        let mut actor = Self::with(ActorKind::User, subject.into(), Principal::User { roles });
        actor.display_name = display_name;
        actor
    }

    /// A CI token, by its name, that may act on every train.
    pub fn token(name: impl Into<String>, scopes: ScopeSet) -> Self {
        Self::token_with_reach(name, scopes, Reach::everywhere())
    }

    /// A CI token that may act only on the trains `reach` names.
    pub fn token_with_reach(name: impl Into<String>, scopes: ScopeSet, reach: Reach) -> Self {
        Self::with(
            ActorKind::Token,
            name.into(),
            Principal::Token { scopes, reach },
        )
    }

    /// Nobody signed in.
    pub fn anonymous(may_read: bool) -> Self {
        Self::with(
            ActorKind::Anonymous,
            "anonymous".into(),
            Principal::Anonymous { may_read },
        )
    }

    fn with(kind: ActorKind, name: String, principal: Principal) -> Self {
        Self {
            kind,
            name,
            display_name: None,
            principal,
            ip: None,
            user_agent: None,
            groups: Vec::new(),
        }
    }

    /// The person's identity-provider groups, as the sign-in reported them.
    pub fn with_groups(mut self, groups: Vec<String>) -> Self {
        self.groups = groups;
        self
    }

    /// This actor as someone who approves or rejects a promotion.
    pub fn reviewer<'a>(&'a self, roles: &'a RoleSet) -> Reviewer<'a> {
        Reviewer {
            subject: &self.name,
            roles,
            groups: &self.groups,
        }
    }

    /// The trains a token is limited to; `None` for everyone else and for
    /// a token that reaches every train.
    pub fn limited_reach(&self) -> Option<&Reach> {
        match &self.principal {
            Principal::Token { reach, .. } if !reach.is_everywhere() => Some(reach),
            _ => None,
        }
    }

    /// This actor as if its token reached every train: for a check made
    /// before the train's track is known (the request line alone), which
    /// asks only whether the caller may do this kind of thing at all. The
    /// service then judges the reach.
    pub fn ignoring_reach(&self) -> Actor {
        let mut actor = self.clone();
        if let Principal::Token { reach, .. } = &mut actor.principal {
            *reach = Reach::everywhere();
        }
        actor
    }

    /// Where the request came from.
    pub fn from_origin(mut self, ip: Option<String>, user_agent: Option<String>) -> Self {
        self.ip = ip;
        self.user_agent = user_agent;
        self
    }

    /// Role names of a user, scopes of a token: what the audit trail keeps
    /// as held at the time.
    pub fn roles(&self) -> Vec<String> {
        match &self.principal {
            Principal::User { roles } => roles.names(),
            Principal::Token { scopes, .. } => scopes.names(),
            Principal::Anonymous { .. } | Principal::System => Vec::new(),
        }
    }

    /// Whether a person signed in is acting (the dashboard's "mine").
    pub fn signed_in(&self) -> bool {
        self.kind == ActorKind::User
    }

    /// The roles a person holds; none for tokens, visitors and the system.
    pub fn role_set(&self) -> RoleSet {
        match &self.principal {
            Principal::User { roles } => roles.clone(),
            Principal::Token { .. } | Principal::Anonymous { .. } | Principal::System => {
                RoleSet::default()
            }
        }
    }

    /// The name to show: the display name when known.
    pub fn label(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}
