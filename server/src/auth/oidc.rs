//! The OpenID Connect relying party: discovery, the authorization request
//! (code flow with PKCE, state and nonce), the code exchange and ID token
//! check, and RP-initiated logout.

use crate::config::AuthSettings;
use anyhow::Context;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreIdToken,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreResponseType,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    reqwest, AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, LogoutRequest, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use std::time::Duration;
use url::Url;

/// Every claim of the ID token beyond the standard ones, so that the roles
/// claim can be any name the configuration gives.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    all: serde_json::Map<String, serde_json::Value>,
}
impl AdditionalClaims for OtherClaims {}

type TokenFields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<TokenFields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

pub struct Oidc {
    client: OidcClient,
    http: reqwest::Client,
    issuer: Url,
    end_session: Option<EndSessionUrl>,
    scopes: Vec<String>,
    roles_claim: String,
    post_logout: Url,
}

/// What a login in progress keeps in the session until the provider returns.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingLogin {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go once signed in (a path on this site).
    pub next: String,
}

/// The person the provider vouched for.
#[derive(Clone, Debug)]
pub struct Identity {
    pub subject: String,
    pub display_name: Option<String>,
    pub groups: Vec<String>,
    pub id_token: String,
}

impl Oidc {
    /// Discovers the provider, retrying for a few seconds so that a provider
    /// started beside the app has time to come up.
    pub async fn discover(
        settings: &AuthSettings,
        issuer: &Url,
        public_url: &Url,
    ) -> anyhow::Result<Self> {
        // Redirects are never followed: a provider answer that redirects
        // elsewhere must not make the server fetch arbitrary URLs.
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .context("building the HTTP client for the OpenID provider")?;
        let issuer_url = IssuerUrl::new(issuer.as_str().trim_end_matches('/').to_owned())
            .with_context(|| format!("OIDC_ISSUER_URL={issuer} is not a valid issuer"))?;
        let mut attempt = 0;
        let metadata = loop {
            match ProviderMetadataWithLogout::discover_async(issuer_url.clone(), &http).await {
                Ok(m) => break m,
                Err(e) if attempt < 10 => {
                    attempt += 1;
                    tracing::debug!(error = %e, attempt, "OpenID provider not answering yet");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                Err(e) => {
                    return Err(anyhow::Error::new(e)).with_context(|| {
                        format!("discovering the OpenID provider at OIDC_ISSUER_URL={issuer}")
                    })
                }
            }
        };
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let redirect = public_url
            .join("/auth/callback")
            .context("building the redirect URL from TRAINYARD_PUBLIC_URL")?;
        let client = OidcClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            settings
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
        )
        .set_redirect_uri(RedirectUrl::from_url(redirect));
        Ok(Self {
            client,
            http,
            issuer: issuer.clone(),
            end_session,
            scopes: settings.scopes.clone(),
            roles_claim: settings.roles_claim.clone(),
            post_logout: public_url.clone(),
        })
    }

    pub fn issuer(&self) -> &Url {
        &self.issuer
    }

    /// Whether the provider's discovery document still answers.
    pub async fn is_reachable(&self) -> bool {
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.issuer.as_str().trim_end_matches('/')
        );
        matches!(
            tokio::time::timeout(Duration::from_secs(2), self.http.get(url).send()).await,
            Ok(Ok(r)) if r.status().is_success()
        )
    }

    /// The provider URL to send the browser to, and what to remember.
    pub fn start(&self, next: String) -> (Url, PendingLogin) {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = self
            .client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        let pending = PendingLogin {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next,
        };
        (url, pending)
    }

    /// Exchanges the code and checks the ID token (signature, issuer,
    /// audience, expiry, nonce).
    pub async fn finish(&self, pending: &PendingLogin, code: String) -> anyhow::Result<Identity> {
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .context("the provider has no token endpoint")?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .context("exchanging the authorization code")?;
        let id_token = response
            .id_token()
            .context("the provider returned no ID token")?;
        let claims = id_token
            .claims(
                &self.client.id_token_verifier(),
                &Nonce::new(pending.nonce.clone()),
            )
            .context("checking the ID token")?;
        let display_name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.to_string())
            .or_else(|| claims.preferred_username().map(|u| u.to_string()));
        let groups = match claims.additional_claims().all.get(&self.roles_claim) {
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Some(serde_json::Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        };
        Ok(Identity {
            subject: claims.subject().to_string(),
            display_name,
            groups,
            id_token: id_token.to_string(),
        })
    }

    /// Where to send the browser to end the provider's session too, when
    /// the provider supports RP-initiated logout.
    pub fn logout_url(&self, id_token: &str) -> Option<Url> {
        let endpoint = self.end_session.clone()?;
        let mut request = LogoutRequest::from(endpoint)
            .set_client_id(self.client.client_id().clone())
            .set_post_logout_redirect_uri(PostLogoutRedirectUrl::from_url(
                self.post_logout.clone(),
            ));
        if let Ok(token) = CoreIdToken::from_str(id_token) {
            request = request.set_id_token_hint(&token);
        }
        Some(request.http_get_url())
    }
}
