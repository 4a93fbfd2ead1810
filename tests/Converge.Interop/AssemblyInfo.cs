// Each interop test class starts real servers (Converge, Prosody, ejabberd, an SMSC, mail peers)
// and real clients. On a 2-core machine running several classes at once only makes every step
// slower and the waits flakier; one class at a time keeps the suite predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
