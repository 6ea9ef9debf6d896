//! Subscriptions: live updates over WebSocket (`graphql-transport-ws`, `web::live`). Every update
//! is re-read by the service layer under the subscriber's own rights, exactly as the matching
//! query would read it; an update the subscriber may not see is not sent at all. An update with
//! `resync: true` carries nothing else: updates may have been missed (a replica lost its link to
//! the others, or the subscriber fell behind), so re-read what is shown with a query.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_graphql::{Context, Enum, Object, Subscription};
use futures_util::{Stream, StreamExt as _};
use tokio::sync::broadcast::error::RecvError;

use crate::graphql::ContextExt as _;
use crate::graphql::case::{Case, TakedownRequest};
use crate::graphql::complaint::{Complaint, PublicComplaint};
use crate::graphql::legal::Recommendation;
use laporlapak_service::Services;
use laporlapak_service::error::ServiceResult;
use laporlapak_service::lifecycle::Draining;
use laporlapak_service::live::read::{self, PlatformUpdate};
use laporlapak_service::live::{Change, read::concerns_tracked};
use laporlapak_service::viewer::Viewer;

/// A subscription's stream of updates.
type Updates<T> = futures_util::stream::BoxStream<'static, async_graphql::Result<T>>;

type Reader<T> =
    Arc<dyn Fn(Change) -> Pin<Box<dyn Future<Output = ServiceResult<T>> + Send>> + Send + Sync>;

/// What one change yields for a subscriber: an update, several, or nothing.
enum Step<T> {
    Resync,
    Items(Vec<T>),
}

/// The changes committed from now on, each re-read by `reader`; `None` stands for a resync. The
/// stream ends when the server starts draining.
fn watch<T: Send + 'static>(
    services: &Services,
    draining: Option<Draining>,
    reader: Reader<Vec<T>>,
) -> impl Stream<Item = async_graphql::Result<Option<T>>> + Send + 'static + use<T> {
    let receiver = services.live.subscribe();
    let changes = futures_util::stream::unfold(receiver, move |mut receiver| {
        let reader = reader.clone();
        async move {
            loop {
                let change = match receiver.recv().await {
                    Ok(change) => change,
                    Err(RecvError::Lagged(_)) => Change::Resync,
                    Err(RecvError::Closed) => return None,
                };
                if change == Change::Resync {
                    return Some((Ok(Step::Resync), receiver));
                }
                match reader(change).await {
                    Ok(items) if items.is_empty() => continue,
                    Ok(items) => return Some((Ok(Step::Items(items)), receiver)),
                    Err(error) => return Some((Err(error), receiver)),
                }
            }
        }
    })
    .flat_map(|step| {
        let items: Vec<async_graphql::Result<Option<T>>> = match step {
            Ok(Step::Resync) => vec![Ok(None)],
            Ok(Step::Items(items)) => items.into_iter().map(|item| Ok(Some(item))).collect(),
            Err(error) => vec![Err(error.into())],
        };
        futures_util::stream::iter(items)
    });
    changes.take_until(async move {
        match draining {
            Some(mut draining) => draining.started().await,
            None => std::future::pending().await,
        }
    })
}

/// A reader that re-reads with `read` as `viewer`.
fn reader<T, F, Fut>(services: &Services, viewer: &Viewer, read: F) -> Reader<Vec<T>>
where
    F: Fn(Services, Viewer, Change) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ServiceResult<Vec<T>>> + Send + 'static,
{
    let services = services.clone();
    let viewer = viewer.clone();
    let read = Arc::new(read);
    Arc::new(move |change| {
        let read = read.clone();
        let services = services.clone();
        let viewer = viewer.clone();
        Box::pin(async move { read(services, viewer, change).await })
    })
}

/// A change to the review queue.
pub struct QueueUpdate(Option<Case>);

/// A change to the review queue: a case was opened, joined by a new complaint, claimed,
/// released, or moved to another status.
#[Object]
impl QueueUpdate {
    /// True when updates may have been missed: re-read the queue (`reviewQueue`); `case` is null.
    async fn resync(&self) -> bool {
        self.0.is_none()
    }

    /// The case as it is now, as `case(id:)` shows it.
    async fn case(&self) -> Option<&Case> {
        self.0.as_ref()
    }
}

/// What happened to a platform's takedown request.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum TakedownRequestEvent {
    /// A reviewer forwarded a case: a new request.
    Issued,
    /// Half of the time to answer passed and the request is unanswered.
    Reminder,
    /// The deadline passed and the request is unanswered.
    Overdue,
    /// A case the platform received a request for was escalated to another authority.
    Escalated,
    /// An objection to the request was decided.
    ObjectionDecided,
    /// Updates may have been missed: re-read the requests (`takedownRequests(updatedSince:)`).
    Resync,
}

/// A change to one of the platform's takedown requests.
pub struct TakedownRequestUpdate {
    event: TakedownRequestEvent,
    request: Option<TakedownRequest>,
    case: Option<Case>,
}

/// A change to one of the platform's takedown requests; never another platform's.
#[Object]
impl TakedownRequestUpdate {
    /// What happened.
    async fn event(&self) -> TakedownRequestEvent {
        self.event
    }

    /// The request as it is now; null for ESCALATED (see `case`) and RESYNC.
    async fn takedown_request(&self) -> Option<&TakedownRequest> {
        self.request.as_ref()
    }

    /// For ESCALATED: the case as the platform sees it; null otherwise.
    async fn case(&self) -> Option<&Case> {
        self.case.as_ref()
    }
}

/// A recommendation that was made or moved.
pub struct RecommendationUpdate(Option<Recommendation>);

/// A recommendation to Komdigi that was made, ordered (with its order) or declined.
#[Object]
impl RecommendationUpdate {
    /// True when updates may have been missed: re-read `recommendations`; the rest is null.
    async fn resync(&self) -> bool {
        self.0.is_none()
    }

    /// The recommendation as it is now.
    async fn recommendation(&self) -> Option<&Recommendation> {
        self.0.as_ref()
    }
}

/// A change to one of the signed-in citizen's complaints.
pub struct ComplaintUpdate(Option<Complaint>);

/// A change to one of the citizen's own complaints (its case moved, a question was asked, the
/// platform answered).
#[Object]
impl ComplaintUpdate {
    /// True when updates may have been missed: re-read `myComplaints`; `complaint` is null.
    async fn resync(&self) -> bool {
        self.0.is_none()
    }

    /// The complaint as it is now, as `myComplaints` shows it.
    async fn complaint(&self) -> Option<&Complaint> {
        self.0.as_ref()
    }
}

/// The state of a complaint followed by its tracking code.
pub struct TrackedComplaintUpdate(Option<PublicComplaint>);

/// A complaint followed by its tracking code: the first update is its state when the
/// subscription starts, then one each time it changes.
#[Object]
impl TrackedComplaintUpdate {
    /// True when updates may have been missed: re-read `complaintByTrackingCode`.
    async fn resync(&self) -> bool {
        self.0.is_none()
    }

    /// The complaint as `complaintByTrackingCode` shows it.
    async fn complaint(&self) -> Option<&PublicComplaint> {
        self.0.as_ref()
    }
}

/// The root of the subscriptions (see its impl).
#[derive(Default)]
pub struct SubscriptionRoot;

/// Live updates, over WebSocket at `/graphql` with the `graphql-transport-ws` protocol (the
/// token goes in `connection_init`'s payload as `{"authorization": "Bearer <token>"}`). Each
/// update is read under the subscriber's rights exactly as the matching query; a role that may
/// not use a subscription gets UNAUTHENTICATED or FORBIDDEN when it starts.
#[Subscription]
impl SubscriptionRoot {
    /// The review queue changed. REVIEWER and ADMIN.
    async fn queue_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Updates<QueueUpdate>> {
        let services = ctx.services()?;
        let viewer = ctx.viewer();
        read::watch_queue(viewer)?;
        let reader = reader(services, viewer, |services, viewer, change| async move {
            Ok(read::queue_case(&services, &viewer, change)
                .await?
                .into_iter()
                .map(Case::from)
                .collect())
        });
        Ok(watch(services, draining(ctx), reader)
            .map(|item| item.map(QueueUpdate))
            .boxed())
    }

    /// A takedown request to the caller's platform was issued, reached its reminder or its
    /// deadline, was escalated, or had an objection decided. PLATFORM (people and API clients).
    async fn takedown_requests_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Updates<TakedownRequestUpdate>> {
        let services = ctx.services()?;
        let viewer = ctx.viewer();
        read::watch_requests(viewer)?;
        let reader = reader(services, viewer, |services, viewer, change| async move {
            Ok(read::platform_update(&services, &viewer, change)
                .await?
                .into_iter()
                .collect())
        });
        Ok(watch(services, draining(ctx), reader)
            .map(|item| {
                item.map(|update| match update {
                    None => TakedownRequestUpdate {
                        event: TakedownRequestEvent::Resync,
                        request: None,
                        case: None,
                    },
                    Some(PlatformUpdate::Escalated(case)) => TakedownRequestUpdate {
                        event: TakedownRequestEvent::Escalated,
                        request: None,
                        case: Some(Case::from(case)),
                    },
                    Some(PlatformUpdate::Request(change, view)) => TakedownRequestUpdate {
                        event: match change {
                            Change::RequestReminder(_) => TakedownRequestEvent::Reminder,
                            Change::RequestOverdue(_) => TakedownRequestEvent::Overdue,
                            Change::ObjectionDecided(_) => TakedownRequestEvent::ObjectionDecided,
                            _ => TakedownRequestEvent::Issued,
                        },
                        request: Some(TakedownRequest(view)),
                        case: None,
                    },
                })
            })
            .boxed())
    }

    /// A recommendation was made, ordered or declined. REGULATOR.
    async fn recommendations_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Updates<RecommendationUpdate>> {
        let services = ctx.services()?;
        let viewer = ctx.viewer();
        read::watch_recommendations(viewer)?;
        let reader = reader(services, viewer, |services, viewer, change| async move {
            Ok(read::recommendation(&services, &viewer, change)
                .await?
                .into_iter()
                .map(Recommendation)
                .collect())
        });
        Ok(watch(services, draining(ctx), reader)
            .map(|item| item.map(RecommendationUpdate))
            .boxed())
    }

    /// One of the signed-in citizen's complaints changed. CITIZEN.
    async fn my_complaints_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Updates<ComplaintUpdate>> {
        let services = ctx.services()?;
        let viewer = ctx.viewer();
        read::watch_own_complaints(viewer)?;
        let reader = reader(services, viewer, |services, viewer, change| async move {
            Ok(read::own_complaints(&services, &viewer, change)
                .await?
                .into_iter()
                .map(Complaint::from)
                .collect())
        });
        Ok(watch(services, draining(ctx), reader)
            .map(|item| item.map(ComplaintUpdate))
            .boxed())
    }

    /// A complaint followed by its tracking code: its state now, then each change. Public (no
    /// token needed). Every update is a use of the code under the rate limit of
    /// `complaintByTrackingCode` (120 a minute per client address); an unknown code answers
    /// NOT_FOUND and ends the subscription.
    async fn complaint_by_tracking_code_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The tracking code, e.g. `LL-7K3M-Q9XP`; letter case, spaces and dashes do not matter."
        )]
        code: String,
    ) -> async_graphql::Result<Updates<TrackedComplaintUpdate>> {
        let services = ctx.services()?.clone();
        let address = ctx.client_address();
        let Some(first) = read::tracked(&services, address, &code).await? else {
            return Err(laporlapak_service::error::ServiceError::NotFound.into());
        };
        let shown = Arc::new(std::sync::Mutex::new(first.case_id_for_live()));
        let initial = PublicComplaint::from(first);
        let code = Arc::new(code);
        let viewer = Viewer::Anonymous;
        let reader = reader(&services, &viewer, move |services, _viewer, change| {
            let code = code.clone();
            let shown = shown.clone();
            async move {
                let case_id = *shown
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if !concerns_tracked(case_id, change) {
                    return Ok(Vec::new());
                }
                let Some(view) = read::tracked(&services, address, &code).await? else {
                    return Ok(Vec::new());
                };
                *shown
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = view.case_id_for_live();
                Ok(vec![PublicComplaint::from(view)])
            }
        });
        let updates = watch(&services, draining(ctx), reader);
        Ok(futures_util::stream::once(async move { Ok(Some(initial)) })
            .chain(updates)
            .map(|item| item.map(TrackedComplaintUpdate))
            .boxed())
    }
}

fn draining(ctx: &Context<'_>) -> Option<Draining> {
    ctx.data_opt::<Draining>().cloned()
}
