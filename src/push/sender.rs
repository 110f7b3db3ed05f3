//! The sending side of `rstat push`, on its own thread so that reading and encoding the next
//! batch overlaps the receiver's work on the one before: requests go one at a time, in file
//! order (a receiver such as Prometheus refuses a series' samples out of order), each retried
//! until acknowledged, and the state file moves past a batch only once it is acknowledged.
//! At most [`QUEUED`] encoded batches wait, so memory stays bounded whatever the backlog.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

use super::client::{Client, Failure};
use super::state::{Position, StateFile};

/// Encoded batches waiting for the sender.
const QUEUED: usize = 1;
/// Retries start this long after a failure and double up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// One request's body and the position to record once the receiver acknowledges it.
pub struct Batch {
    pub body: Vec<u8>,
    pub position: Position,
}

/// Why the sender stopped before its queue closed.
pub enum Stopped {
    /// The receiver refuses the requests (4xx other than 429): no retry fixes it.
    Configuration(String),
    /// The state file cannot be written.
    State(String),
}

/// The sender thread and the queue feeding it.
pub struct Sender {
    queue: SyncSender<Batch>,
    thread: JoinHandle<Result<(), Stopped>>,
}

impl Sender {
    pub fn start(client: Client, state: StateFile) -> Result<Sender, String> {
        let (queue, batches) = sync_channel(QUEUED);
        let thread = std::thread::Builder::new()
            .name("push-sender".into())
            .spawn(move || send_all(&client, &state, batches))
            .map_err(|e| format!("cannot start the sending thread: {e}"))?;
        Ok(Sender { queue, thread })
    }

    /// Queues `batch` (waits while the queue is full); `Err` when the sender has stopped.
    pub fn send(&self, batch: Batch) -> Result<(), ()> {
        self.queue.send(batch).map_err(|_| ())
    }

    /// Closes the queue and waits until everything queued is acknowledged (or the sender stopped).
    pub fn finish(self) -> Result<(), Stopped> {
        drop(self.queue);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(Stopped::State("the sending thread panicked".into())))
    }
}

fn send_all(client: &Client, state: &StateFile, batches: Receiver<Batch>) -> Result<(), Stopped> {
    for batch in batches {
        send_until_acknowledged(client, &batch.body).map_err(Stopped::Configuration)?;
        state.save(&batch.position).map_err(Stopped::State)?;
    }
    Ok(())
}

/// Sends until the receiver acknowledges; `Err` for a configuration error.
fn send_until_acknowledged(client: &Client, body: &[u8]) -> Result<(), String> {
    let mut backoff = FIRST_BACKOFF;
    let mut failing = false;
    loop {
        match client.send(body) {
            Ok(()) => {
                if failing {
                    eprintln!("rstat push: the receiver acknowledges again; sending the backlog");
                }
                return Ok(());
            }
            Err(Failure::Configuration(message)) => return Err(message),
            Err(Failure::Retry(message)) => {
                if !failing {
                    eprintln!("rstat push: {message}; retrying with backoff (nothing is lost: samples stay in the day files)");
                    failing = true;
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}
