//! The first-run set-up link: while no account exists, `serve` prints a one-time link
//! that creates the first admin. Only the token's hash is held, in this process's memory,
//! so the link dies when used or when the process stops. With several instances behind a
//! load balancer, the link works only on the instance that printed it.

use std::sync::{Arc, Mutex};

use subtle::ConstantTimeEq;

use crate::secrets::Token;

#[derive(Clone, Default)]
pub struct SetupLink {
    hash: Arc<Mutex<Option<String>>>,
}

impl SetupLink {
    pub fn none() -> Self {
        Self::default()
    }

    /// Creates the token and returns it (to print); only its hash is kept.
    pub fn issue(&self) -> Token {
        let token = Token::generate();
        if let Ok(mut slot) = self.hash.lock() {
            *slot = Some(token.hash());
        }
        token
    }

    /// Whether `presented` is the live set-up token.
    pub fn matches(&self, presented: &str) -> bool {
        let Some(token) = Token::parse(presented) else {
            return false;
        };
        let Ok(slot) = self.hash.lock() else {
            return false;
        };
        slot.as_ref()
            .is_some_and(|hash| bool::from(hash.as_bytes().ct_eq(token.hash().as_bytes())))
    }

    /// Uses the token up: true only for the first caller holding the right one.
    pub fn consume(&self, presented: &str) -> bool {
        let Some(token) = Token::parse(presented) else {
            return false;
        };
        let Ok(mut slot) = self.hash.lock() else {
            return false;
        };
        let right = slot
            .as_ref()
            .is_some_and(|hash| bool::from(hash.as_bytes().ct_eq(token.hash().as_bytes())));
        if right {
            *slot = None;
        }
        right
    }
}
