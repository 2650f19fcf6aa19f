//! What the connection task does with each [`ServerEvent`] of its session.

use std::sync::Arc;
use waweb_proto::binary::jid::person_jid;

use waweb_proto::binary::Node;
use waweb_proto::json::query::JsonQuery;
use waweb_proto::session::{CloseReason, ServerEvent};

use super::{session_now, Connection};
use crate::context::{now_ms, Me};
use crate::handler::{self, Reply};
use crate::store::Store;
use crate::sync::{self, SyncPush};

impl<S: Store> Connection<S> {
    /// Answers every event the session has queued.
    pub(super) async fn process_events(&mut self) {
        while let Some(event) = self.session.poll_event() {
            self.on_event(event).await;
        }
    }

    async fn on_event(&mut self, event: ServerEvent) {
        let event = match (event, &self.me) {
            // Written already (events are read after each flush): the relays do not matter.
            (ServerEvent::ConnSent, _) => return self.on_conn_sent(),
            (ServerEvent::Request { tag, node, .. }, Some(me)) if handler::is_relay(&node) => {
                return self.relays.start(&self.app, me, tag, node);
            }
            // Anything else sees the relays before it done, as if handled one by one.
            (event, _) => event,
        };
        self.finish_relays().await;
        let hub = &self.app.shared.hub;
        match event {
            ServerEvent::AwaitingScan { r#ref, .. } => {
                hub.await_scan(&r#ref, self.id, self.mailbox.clone());
                self.shown_ref = Some(r#ref);
            }
            ServerEvent::RefRenewed { old_ref, new_ref } => {
                hub.forget_ref(&old_ref);
                hub.await_scan(&new_ref, self.id, self.mailbox.clone());
                self.shown_ref = Some(new_ref);
            }
            ServerEvent::LoginRequested(login) => self.on_login(login).await,
            ServerEvent::Ready { restored } => self.on_ready(restored).await,
            ServerEvent::Request { tag, node, .. } => self.on_request(tag, node).await,
            ServerEvent::JsonRequest { tag, query } => self.on_json(tag, query).await,
            ServerEvent::LoggedOut => self.on_logged_out().await,
            // Answered before the relays, above.
            ServerEvent::ConnSent => {}
            ServerEvent::Closed(reason) => self.on_closed(&reason),
        }
    }

    /// The handshake is over: register, take over other sessions, push the initial sync.
    async fn on_ready(&mut self, restored: bool) {
        let Some(p) = self.pending.take() else {
            tracing::warn!(connection = self.id, "session ready without a pending handshake");
            return self.session.close(session_now(), CloseReason::Shutdown);
        };
        // Logged in: the small pre-login frame limit gives way to the configured one.
        self.frame_limit.set(self.app.shared.config.max_frame_bytes);
        let hub = &self.app.shared.hub;
        hub.forget_connection_refs(self.id);
        // One live web session per account, on every node: every other one is told it was
        // replaced. Once deliveries for the account reach this node, the sync reads the
        // history: a message relayed meanwhile is pushed live, none falls in between.
        hub.register(&p.account, self.id, &p.client_id, self.mailbox.clone()).await;
        hub.replace_others(&p.account, self.id);
        if let (Some(r), Some(keys)) = (&self.recorder, self.session.keys()) {
            r.keys(now_ms(), keys);
        }
        tracing::info!(connection = self.id, account = %p.account, restored, "web session ready");
        let me = Me {
            jid: person_jid(&p.account),
            account: p.account,
            pushname: p.pushname,
            connection: self.id,
            client_id: p.client_id,
        };
        match sync::initial_sync(&self.app.shared, &me).await {
            Ok(pushes) => {
                let now = session_now();
                for push in pushes {
                    match push {
                        SyncPush::Preempt(node) => self.session.push_preempt(now, &node),
                        SyncPush::Node(node) => self.session.push_node(now, &node),
                    };
                }
            }
            Err(e) => tracing::warn!(connection = self.id, error = %e, "initial sync failed"),
        }
        self.me = Some(Arc::new(me));
    }

    /// The handshake's `Conn` was written: an admin API scan waiting for it succeeded. If the
    /// socket broke meanwhile, the scan stays and fails when the task ends.
    fn on_conn_sent(&mut self) {
        if self.peer_gone {
            return;
        }
        if let Some(scan) = self.scan_reply.take() {
            self.app.shared.hub.scan_done(scan, Ok(()));
        }
    }

    /// Waits for the relays in flight and answers them.
    pub(super) async fn finish_relays(&mut self) {
        while let Some((tag, reply)) = self.relays.next().await {
            self.send_reply(&tag, reply);
        }
    }

    async fn on_request(&mut self, tag: String, node: Node) {
        let Some(me) = &self.me else { return };
        // Boxed: the handlers' futures are large, and held inline they would make every
        // connection's task that much bigger for its whole life, idle or not.
        let reply = Box::pin(handler::binary(&self.app.shared, me, &tag, node)).await;
        self.send_reply(&tag, reply);
    }

    async fn on_json(&mut self, tag: String, query: JsonQuery) {
        let Some(me) = &self.me else { return };
        let reply = Box::pin(handler::json(&self.app.shared, me, &tag, query)).await;
        self.send_reply(&tag, reply);
    }

    pub(super) fn send_reply(&mut self, tag: &str, reply: Reply) {
        let now = session_now();
        match reply {
            Reply::Node(node) => self.session.respond_node(now, tag, &node),
            Reply::Json(value) => self.session.respond_json(now, tag, &value),
            Reply::Nothing => {}
        }
    }

    /// `goodbye`: the pairing is forgotten, so its tokens and keys stop working.
    async fn on_logged_out(&mut self) {
        let Some(me) = &self.me else { return };
        match self.app.shared.store.remove_session(&me.client_id).await {
            Ok(_) => tracing::info!(connection = self.id, account = %me.account, "logged out"),
            Err(e) => tracing::warn!(connection = self.id, error = %e, "cannot forget the session"),
        }
    }

    fn on_closed(&mut self, reason: &CloseReason) {
        match reason {
            CloseReason::Protocol(why) => {
                tracing::warn!(connection = self.id, reason = %why, "closing on a protocol error");
            }
            other => tracing::debug!(connection = self.id, reason = ?other, "closing"),
        }
        self.leave_registries();
    }
}
