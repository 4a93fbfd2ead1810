using Converge.Fuzz;
using Converge.Fuzz.Targets;
using SharpFuzz;

// converge-fuzz TARGET              run under afl-fuzz (scripts/fuzz.sh starts it so)
// converge-fuzz TARGET PATH...      run each file (or each file of a directory) once: replays
//                                   a corpus or a crash afl-fuzz found, printing what escaped
// converge-fuzz --list              the target names
//
// Targets are made only inside Fuzzer.Run's callback: instrumented code (the Converge assemblies)
// must not run before SharpFuzz has attached afl-fuzz's coverage map.
(string Name, Func<IFuzzTarget> Create)[] targets =
[
    ("xml", () => new XmlStreamTarget()), ("sasl", () => new SaslTarget()), ("address", () => new AddressTarget()),
    ("smpp", () => new SmppTarget()), ("gsm", () => new GsmTarget()), ("smtp", () => new SmtpTarget()),
    ("mime", () => new MimeTarget()), ("dialback", () => new DialbackTarget()), ("websocket", () => new WebSocketTarget()),
];

if (args.Length == 0 || args[0] == "--list")
{
    Console.WriteLine(string.Join(Environment.NewLine, targets.Select(t => t.Name)));
    return args.Length == 0 ? 2 : 0;
}

var create = targets.FirstOrDefault(t => t.Name == args[0]).Create;
if (create is null)
{
    Console.Error.WriteLine($"Unknown target '{args[0]}'. Targets: {string.Join(", ", targets.Select(t => t.Name))}");
    return 2;
}

if (args.Length == 1)
{
    var buffer = new MemoryStream();
    IFuzzTarget? fuzzed = null;
    Fuzzer.Run(stream =>
    {
        fuzzed ??= create();
        buffer.SetLength(0);
        stream.CopyTo(buffer);
        fuzzed.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
    return 0;
}

var target = create();
var failures = 0;
var files = args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal);
foreach (var file in files)
{
    try
    {
        target.Run(File.ReadAllBytes(file));
    }
    catch (Exception e)
    {
        failures++;
        Console.WriteLine($"{file}: {e.GetType().FullName}: {e.Message}");
        Console.WriteLine(e.StackTrace);
    }
}

Console.WriteLine($"{target.Name}: {failures} of the inputs escaped the parser's documented errors.");
return failures == 0 ? 0 : 1;
