//! Messages: queued with the change that causes them, delivered after the
//! response and by the cron, and the daily reminders.

pub mod delivery;
pub mod notifier;
pub mod reminders;
