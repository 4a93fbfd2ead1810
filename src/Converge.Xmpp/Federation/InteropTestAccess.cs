using System.Runtime.CompilerServices;

// The federation interop tests run this service in-process against Prosody and ejabberd
// (tests/Converge.Interop/Federation) until the host starts it from `converge serve`.
[assembly: InternalsVisibleTo("Converge.Interop")]
