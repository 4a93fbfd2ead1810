using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Email;

/// <summary>
/// Reads a message (RFC 5322 + MIME, RFC 2045-2047, 2231) from its bytes. The whole message is in
/// memory (the SMTP listener bounds its size); the reader walks it line by line with an explicit
/// state and a stack of open multipart boundaries, so nesting needs no recursion and a boundary of
/// an outer multipart closes inner ones that never ended. Limits (depth, parts, header bytes, line
/// length) each have a named <see cref="MimeDefects"/> reason.
/// </summary>
public sealed partial class MimeParser
{
    private readonly MimeParsingMode _mode;
    private readonly MimeLimits _limits;
    private readonly ILogger? _logger;

    public MimeParser(MimeParsingMode mode = MimeParsingMode.Lenient, MimeLimits? limits = null, ILogger? logger = null)
    {
        _mode = mode;
        _limits = limits ?? MimeLimits.Default;
        _logger = logger;
    }

    /// <summary>Reads a message. Throws <see cref="MimeParseException"/> on a defect in strict mode.</summary>
    public MailMessage Parse(ReadOnlyMemory<byte> message)
    {
        var log = new MimeDefectLog(_mode);
        var run = new Run(message, _limits, log);
        var root = run.Read();
        var entity = run.Build(root);
        var headers = entity.Headers;
        var (text, fromHtml) = BodyTextSelector.Select(entity);
        var result = new MailMessage(entity)
        {
            Subject = headers["Subject"] is { } subject ? EncodedWords.Decode(subject, log).Trim() : null,
            From = Addresses(headers["From"], log),
            To = Addresses(headers["To"], log),
            Cc = Addresses(headers["Cc"], log),
            ReplyTo = Addresses(headers["Reply-To"], log),
            MessageId = MessageIdParser.ParseList(headers["Message-ID"], log) is [var id, ..] ? id : null,
            InReplyTo = MessageIdParser.ParseList(headers["In-Reply-To"], log),
            References = MessageIdParser.ParseList(headers["References"], log),
            Date = MailDate.TryParse(headers["Date"], out var date) ? date : null,
            TextBody = text?.TrimEnd(),
            TextBodyFromHtml = fromHtml,
            Defects = log.Defects,
        };
        if (result.Defects != MimeDefects.None && _logger is not null)
        {
            LogDefects(_logger, result.MessageId ?? "(none)", result.Defects);
        }

        return result;
    }

    private static List<MailboxAddress> Addresses(string? value, MimeDefectLog log) =>
        value is null ? [] : AddressParser.ParseList(value, log);

    [LoggerMessage(EventId = 2570, Level = LogLevel.Debug, Message = "Mail {MessageId} read leniently: {Defects}")]
    private static partial void LogDefects(ILogger logger, string messageId, MimeDefects defects);

    /// <summary>The mutable state of one read.</summary>
    private sealed class Run(ReadOnlyMemory<byte> data, MimeLimits limits, MimeDefectLog log)
    {
        private readonly List<EntityBuilder> _open = []; // multiparts whose boundary is live, outermost first
        private readonly ArrayBufferWriter<byte> _field = new(256);
        private MimeParserState _state = MimeParserState.Headers;
        private EntityBuilder _current = null!;
        private int _entities;

        public EntityBuilder Read()
        {
            var root = new EntityBuilder(null, 0);
            _current = root;
            _entities = 1;
            var bytes = data.Span;
            var position = 0;
            var previousContentEnd = 0;
            var firstLine = true;
            while (position < bytes.Length)
            {
                var newline = bytes[position..].IndexOf((byte)'\n');
                var lineEnd = newline < 0 ? bytes.Length : position + newline;
                var next = newline < 0 ? bytes.Length : lineEnd + 1;
                var contentEnd = lineEnd;
                if (contentEnd > position && bytes[contentEnd - 1] == '\r')
                {
                    contentEnd--;
                }
                else if (newline >= 0)
                {
                    log.Flag(MimeDefects.BareLineFeed, "A line ends in a bare LF");
                }

                var line = bytes[position..contentEnd];
                if (line.Length > limits.MaxLineLength)
                {
                    log.Flag(MimeDefects.LineTooLong, $"A line of {line.Length} bytes");
                }

                // An mbox "From " separator before the headers is not part of the message.
                if (!(firstLine && line.StartsWith("From "u8)))
                {
                    Step(line, position, previousContentEnd, next);
                }

                firstLine = false;
                previousContentEnd = contentEnd;
                position = next;
            }

            Finish(bytes.Length);
            return root;
        }

        private void Step(ReadOnlySpan<byte> line, int lineStart, int previousContentEnd, int next)
        {
            if (_open.Count > 0 && line.StartsWith("--"u8) && TryMatchBoundary(line, out var level, out var closing))
            {
                OnBoundary(level, closing, lineStart, previousContentEnd);
                return;
            }

            // In the other states the line is body, preamble or epilogue: a body is taken as a byte
            // range when its part ends, the rest is ignored.
            if (_state == MimeParserState.Headers)
            {
                HeaderLine(line, lineStart, next);
            }
        }

        private void HeaderLine(ReadOnlySpan<byte> line, int lineStart, int next)
        {
            if (line.IsEmpty)
            {
                EndHeaders(next);
                return;
            }

            if (line.Length > limits.MaxLineLength)
            {
                line = line[..limits.MaxLineLength];
            }

            var entity = _current;
            entity.HeaderBytes += line.Length + 2;
            if (entity.HeaderBytes > limits.MaxHeaderBytes)
            {
                if (!entity.HeaderOverflow)
                {
                    entity.HeaderOverflow = true;
                    log.Flag(MimeDefects.HeaderTooLarge, $"A header block over {limits.MaxHeaderBytes} bytes");
                }

                return;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (_field.WrittenCount == 0)
                {
                    log.Flag(MimeDefects.MalformedHeader, "A folded line with no field to continue");
                    return;
                }

                _field.Write(line); // unfolding removes the CRLF and keeps the whitespace (RFC 5322 §2.2.3)
                return;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsFieldName(line[..colon].TrimEnd(" \t"u8)))
            {
                if (_field.WrittenCount > 0 || entity.Headers.Count > 0)
                {
                    // Usually a folded line that lost its leading whitespace: keep it with the field before.
                    log.Flag(MimeDefects.MalformedHeader, $"A header line without a field name: '{Printable(line)}'");
                    if (_field.WrittenCount > 0)
                    {
                        _field.Write(" "u8);
                        _field.Write(line);
                    }

                    return;
                }

                // No header at all: the entity starts with its body.
                log.Flag(MimeDefects.MalformedHeader, "An entity without header fields");
                EndHeaders(lineStart);
                return;
            }

            if (line[..colon].IndexOfAny(" \t"u8) >= 0)
            {
                log.Flag(MimeDefects.MalformedHeader, $"Whitespace before the colon: '{Printable(line)}'");
            }

            CompleteField();
            _field.Write(line);
        }

        private void CompleteField()
        {
            if (_field.WrittenCount == 0)
            {
                return;
            }

            var raw = _field.WrittenSpan;
            string text;
            if (Ascii.IsValid(raw) || System.Text.Unicode.Utf8.IsValid(raw))
            {
                text = Encoding.UTF8.GetString(raw); // RFC 6532 allows UTF-8 in header fields
            }
            else
            {
                log.Flag(MimeDefects.InvalidHeaderBytes, "8-bit header bytes that are not UTF-8");
                text = Charsets.DecodeUnlabelled(raw);
            }

            _field.ResetWrittenCount();
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            _current.Headers.Add(new MimeHeader(text[..colon].TrimEnd(), text[(colon + 1)..].Trim()));
        }

        private void EndHeaders(int bodyStart)
        {
            var entity = _current;
            CompleteField();
            ResolveContent(entity);
            if (entity.ContentType.IsMultipart)
            {
                var boundary = entity.ContentType.Boundary;
                if (string.IsNullOrEmpty(boundary))
                {
                    log.Flag(MimeDefects.MissingBoundary, $"A {entity.ContentType.MimeType} without a boundary");
                    entity.ContentType = ContentType.TextPlain;
                }
                else if (entity.Depth >= limits.MaxDepth)
                {
                    log.Flag(MimeDefects.DepthLimitExceeded, $"Multiparts nested deeper than {limits.MaxDepth}");
                    entity.IsOpaque = true;
                }
                else
                {
                    entity.Boundary = Encoding.UTF8.GetBytes(boundary);
                    _open.Add(entity);
                    _state = MimeParserState.Preamble;
                    return;
                }
            }

            entity.BodyStart = bodyStart;
            _state = MimeParserState.Body;
        }

        private void OnBoundary(int level, bool closing, int lineStart, int previousContentEnd)
        {
            switch (_state)
            {
                case MimeParserState.Headers:
                    log.Flag(MimeDefects.MalformedHeader, "A part whose header was not ended by a blank line");
                    CompleteField();
                    ResolveContent(_current);
                    _current.BodyStart = _current.BodyEnd = lineStart;
                    break;
                case MimeParserState.Body:
                    // The line break before a boundary belongs to the boundary (RFC 2046 §5.1.1).
                    _current.BodyEnd = Math.Max(_current.BodyStart, previousContentEnd);
                    break;
            }

            while (_open.Count - 1 > level)
            {
                log.Flag(MimeDefects.MissingFinalBoundary, "A multipart closed by the boundary of an enclosing one");
                _open.RemoveAt(_open.Count - 1);
            }

            var multipart = _open[level];
            if (closing)
            {
                _open.RemoveAt(level);
                _current = multipart;
                _state = MimeParserState.Epilogue;
                return;
            }

            if (_entities >= limits.MaxParts)
            {
                log.Flag(MimeDefects.PartLimitExceeded, $"More than {limits.MaxParts} parts");
                _state = MimeParserState.SkippedPart;
                return;
            }

            _entities++;
            var part = new EntityBuilder(multipart, multipart.Depth + 1);
            multipart.Children.Add(part);
            _current = part;
            _state = MimeParserState.Headers;
        }

        private bool TryMatchBoundary(ReadOnlySpan<byte> line, out int level, out bool closing)
        {
            for (level = _open.Count - 1; level >= 0; level--)
            {
                var boundary = _open[level].Boundary;
                if (line.Length < boundary.Length + 2 || !line[2..].StartsWith(boundary))
                {
                    continue;
                }

                var rest = line[(boundary.Length + 2)..];
                closing = rest.StartsWith("--"u8);
                if (closing)
                {
                    rest = rest[2..];
                }

                if (rest.TrimEnd(" \t"u8).IsEmpty) // transport padding (RFC 2046 §5.1.1)
                {
                    return true;
                }
            }

            closing = false;
            return false;
        }

        private void Finish(int end)
        {
            if (_state == MimeParserState.Headers)
            {
                EndHeaders(end); // a message that is all header
            }

            if (_state == MimeParserState.Body)
            {
                _current.BodyEnd = end;
            }

            if (_open.Count > 0)
            {
                log.Flag(MimeDefects.MissingFinalBoundary, "The message ended inside a multipart");
                _open.Clear();
            }
        }

        private void ResolveContent(EntityBuilder entity)
        {
            var value = entity.Headers["Content-Type"];
            var digest = entity.Parent?.ContentType.Is("multipart", "digest") == true;
            entity.ContentType = value is null
                ? digest ? ContentType.MessageRfc822 : ContentType.TextPlain
                : ContentType.Parse(value, log);
        }

        public MimeEntity Build(EntityBuilder builder)
        {
            var headers = builder.Headers;
            var encoding = TransferEncodingName(headers["Content-Transfer-Encoding"]);
            string? disposition = null;
            Dictionary<string, string>? dispositionParameters = null;
            if (headers["Content-Disposition"] is { } dispositionValue)
            {
                disposition = MimeParameters.Parse(dispositionValue, log, out dispositionParameters);
            }

            var fileName = dispositionParameters?.GetValueOrDefault("filename") ?? builder.ContentType.Parameters.GetValueOrDefault("name");
            var isAttachment = string.Equals(disposition, "attachment", StringComparison.OrdinalIgnoreCase) || fileName is not null;
            if (builder.Boundary.Length > 0)
            {
                return new MimeEntity(headers, builder.ContentType, encoding, builder.Depth)
                {
                    IsMultipart = true,
                    Parts = [.. builder.Children.Select(Build)],
                    FileName = fileName,
                    IsAttachment = isAttachment,
                };
            }

            var body = builder.BodyEnd > builder.BodyStart ? data.Span[builder.BodyStart..builder.BodyEnd] : [];
            byte[] content;
            bool invalid;
            switch (encoding)
            {
                case "base64":
                    content = TransferDecoding.DecodeBase64(body, out invalid);
                    break;
                case "quoted-printable":
                    content = TransferDecoding.DecodeQuotedPrintable(body, out invalid);
                    break;
                case "7bit" or "8bit" or "binary":
                    content = body.ToArray();
                    invalid = false;
                    break;
                default:
                    log.Flag(MimeDefects.UnknownTransferEncoding, $"Unknown Content-Transfer-Encoding '{encoding}'");
                    content = body.ToArray();
                    invalid = false;
                    break;
            }

            if (invalid)
            {
                log.Flag(MimeDefects.InvalidEncoding, $"Invalid {encoding} content");
            }

            string? text = null;
            if (builder.ContentType.MediaType == "text" && !builder.IsOpaque)
            {
                text = Charsets.Decode(content, builder.ContentType.Charset, log)
                    .Replace("\r\n", "\n", StringComparison.Ordinal)
                    .Replace('\r', '\n');
            }

            return new MimeEntity(headers, builder.ContentType, encoding, builder.Depth)
            {
                Content = content,
                Text = text,
                FileName = fileName,
                IsAttachment = isAttachment,
                IsOpaque = builder.IsOpaque,
            };
        }

        private static string TransferEncodingName(string? value)
        {
            if (value is null)
            {
                return "7bit";
            }

            var semicolon = value.IndexOf(';', StringComparison.Ordinal);
            var name = (semicolon < 0 ? value : value[..semicolon]).Trim().Trim('"').ToLowerInvariant();
            var comment = name.IndexOf('(', StringComparison.Ordinal);
            return comment < 0 ? name : name[..comment].Trim();
        }

        private static bool IsFieldName(ReadOnlySpan<byte> name)
        {
            if (name.IsEmpty)
            {
                return false;
            }

            foreach (var c in name)
            {
                if (c is < 33 or > 126 or (byte)':')
                {
                    return false;
                }
            }

            return true;
        }

        private static string Printable(ReadOnlySpan<byte> line) =>
            Encoding.ASCII.GetString(line[..Math.Min(line.Length, 60)]);
    }

    /// <summary>An entity while it is being read: its header, its byte range, its parts.</summary>
    private sealed class EntityBuilder(EntityBuilder? parent, int depth)
    {
        public EntityBuilder? Parent { get; } = parent;

        public int Depth { get; } = depth;

        public MimeHeaderList Headers { get; } = new();

        public int HeaderBytes { get; set; }

        public bool HeaderOverflow { get; set; }

        public ContentType ContentType { get; set; } = ContentType.TextPlain;

        public byte[] Boundary { get; set; } = [];

        public List<EntityBuilder> Children { get; } = [];

        public int BodyStart { get; set; }

        public int BodyEnd { get; set; }

        public bool IsOpaque { get; set; }
    }
}
