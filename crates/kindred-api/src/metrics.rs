//! Prometheus metrics: requests by route and status, a latency histogram and
//! the outbox backlog (read from the database at scrape time).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub outbox_backlog: IntGauge,
    pub outbox_dead: IntGauge,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("kindred".into()), None).unwrap_or_default();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["route", "method"],
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let outbox_backlog = IntGauge::new("outbox_backlog", "Emails waiting to be delivered")
            .unwrap_or_else(|e| panic!("metric definition: {e}"));
        let outbox_dead = IntGauge::new(
            "outbox_dead",
            "Emails that gave up after their last attempt",
        )
        .unwrap_or_else(|e| panic!("metric definition: {e}"));
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(outbox_backlog.clone()),
            Box::new(outbox_dead.clone()),
        ] {
            let _ = registry.register(collector);
        }
        Self {
            registry,
            requests,
            latency,
            outbox_backlog,
            outbox_dead,
        }
    }

    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[route, method])
            .observe(seconds);
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buf);
        String::from_utf8(buf).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
