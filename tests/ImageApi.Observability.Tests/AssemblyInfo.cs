// ActivitySource and Meter listeners are process-wide: a second host running in parallel would put its spans and
// measurements into this host's in-memory exporters. One host at a time keeps "one request = one trace" checkable.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
