using Converge.Interworking.Sms.Concatenation;
using Converge.Interworking.Sms.Esme;
using Converge.Interworking.Sms.Pdus;
using Converge.Interworking.Sms.Text;
using Microsoft.Extensions.Logging;

namespace Converge.Interworking.Sms;

/// <summary>
/// The SMPP 3.4 client (ESME) towards the operator's SMSC: <see cref="SmppOptions.Binds"/>
/// transceiver binds kept up with reconnect and enquire_link; SMS submitted in order with
/// concatenation; mobile-originated SMS and delivery receipts handed to <see cref="OnMessage"/>
/// and <see cref="OnReceipt"/>, and acknowledged to the SMSC only once those returned.
/// </summary>
public sealed class SmppEsme : IAsyncDisposable
{
    private readonly SmppOptions _options;
    private readonly ILogger<SmppEsme> _logger;
    private readonly InboundMessageHandler _inbound;
    private readonly SubmittedMessageIds _submittedIds;
    private readonly SmppBindLoop[] _binds;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private TaskCompletionSource _boundSignal = NewSignal();
    private int _reference = Random.Shared.Next(256);
    private int _nextBind;
    private int _started;

    public SmppEsme(SmppOptions options, ILogger<SmppEsme> logger)
        : this(options, logger, TimeProvider.System)
    {
    }

    internal SmppEsme(SmppOptions options, ILogger<SmppEsme> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _logger = logger;
        _submittedIds = new SubmittedMessageIds(options.Limits.RememberedMessageIds, options.ReceiptIdBase);
        var decoder = new SmsTextDecoder(options.Ia5IsAscii);
        var reassembler = new SmsReassembler(options.Limits, decoder, time);
        _inbound = new InboundMessageHandler(reassembler, _submittedIds, decoder, new SmsSenderAddress(options.CountryCode, options.NationalPrefix), logger, options.Limits.MaxPendingReassemblies);
        _binds = [.. Enumerable.Range(0, options.Binds).Select(i => new SmppBindLoop(i, options, _inbound, logger, SignalBound))];
    }

    /// <summary>
    /// A complete (reassembled) mobile-originated SMS. Throwing refuses it for now: the SMSC delivers
    /// it again. Messages of one bind come one at a time, in order; with several binds calls may overlap.
    /// </summary>
    public Func<InboundSms, CancellationToken, ValueTask>? OnMessage
    {
        get => _inbound.OnMessage;
        set => _inbound.OnMessage = value;
    }

    /// <summary>A delivery report. Throwing refuses it for now: the SMSC delivers it again.</summary>
    public Func<DeliveryReceipt, CancellationToken, ValueTask>? OnReceipt
    {
        get => _inbound.OnReceipt;
        set => _inbound.OnReceipt = value;
    }

    /// <summary>The store's room: while full, deliveries are answered ESME_RX_T_APPN (see <see cref="InboundMessageHandler.Space"/>).</summary>
    public Core.Storage.StorageSpace? Space
    {
        get => _inbound.Space;
        set => _inbound.Space = value;
    }

    /// <summary>Whether at least one bind is up.</summary>
    public bool IsBound => _binds.Any(b => b.Current is not null);

    /// <summary>How many binds are up.</summary>
    internal int BoundCount => _binds.Count(b => b.Current is not null);

    /// <summary>Starts the bind loops and returns at once; they run until <see cref="DisposeAsync"/>.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The ESME is already started.");
        }

        foreach (var bind in _binds)
        {
            _running.Add(Task.Run(() => bind.RunAsync(_stop.Token), CancellationToken.None));
        }

        _running.Add(Task.Run(() => SweepReassemblyAsync(_stop.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Encodes (GSM 7-bit, else UCS-2), segments and submits all parts in order on one bind with one
    /// concatenation reference, waiting for each submit_sm_resp. Throws <see cref="ArgumentException"/>
    /// for a text or address that cannot be sent, <see cref="SmppSubmitException"/> when the SMSC
    /// refuses or the submission cannot complete.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(OutboundSms sms, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sms);
        var source = SmsAddress.ForSource(sms.Source);
        var destination = SmsAddress.ForDestination(sms.Destination);
        var reference = sms.Reference ?? Interlocked.Increment(ref _reference);
        var segmentation = SmsSegmenter.Segment(sms.Text, reference, _options.Use16BitReference, _options.DefaultDataCoding);
        var session = await WaitForBindAsync(ct).ConfigureAwait(false);
        var parts = segmentation.Parts.Count;
        var ids = new List<string>(parts);
        for (var i = 0; i < parts; i++)
        {
            if (sms.Acknowledged is { } acknowledged && acknowledged.TryGetValue(i + 1, out var known))
            {
                // Accepted by the SMSC before a restart: sending it again would be a duplicate.
                ids.Add(known);
                continue;
            }

            var submit = new SubmitSm
            {
                SourceAddrTon = source.Ton,
                SourceAddrNpi = source.Npi,
                SourceAddr = source.Digits,
                DestAddrTon = destination.Ton,
                DestAddrNpi = destination.Npi,
                DestinationAddr = destination.Digits,
                EsmClass = segmentation.HasUdh ? SmppEsmClass.UdhIndicator : (byte)0,
                RegisteredDelivery = sms.RequestDeliveryReceipt ? SmppEsmClass.RegisteredDeliveryFinal : (byte)0,
                DataCoding = segmentation.DataCoding,
                ShortMessage = segmentation.Parts[i],
            };
            submit.Validate();
            if (sms.Journal is { } journal)
            {
                await journal.SubmittingAsync(i + 1, parts, reference, ct).ConfigureAwait(false);
            }

            var id = await SubmitPartAsync(session, submit, sms.Destination, i + 1, parts, ct).ConfigureAwait(false);
            _submittedIds.Remember(id);
            if (sms.Journal is { } done)
            {
                await done.SubmittedAsync(i + 1, id, ct).ConfigureAwait(false);
            }

            ids.Add(id);
            SmppLog.PartSubmitted(_logger, sms.Destination, i + 1, parts, segmentation.Encoding, id);
        }

        return new SubmitResult(ids, parts, segmentation.Encoding);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        // _stop is not disposed: a late SubmitAsync still reads its token (and then finds no bind).
    }

    internal static bool IsTransient(SmppCommandStatus status) => status is
        SmppCommandStatus.Throttled or SmppCommandStatus.MessageQueueFull or SmppCommandStatus.SystemError
        or SmppCommandStatus.TemporaryAppError or SmppCommandStatus.IncorrectBindStatus;

    private async Task<string> SubmitPartAsync(SmppSession session, SubmitSm submit, string destination, int part, int parts, CancellationToken ct)
    {
        SmppPdu response;
        try
        {
            response = await session.RequestAsync(submit, windowed: true, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmppSessionClosedException or SmppResponseTimeoutException)
        {
            var failure = new SmppSubmitException(0, isTransient: true, $"part {part}/{parts}: {e.Message}", e);
            SmppLog.SubmitRefused(_logger, destination, part, parts, failure.Reason);
            throw failure;
        }

        var status = SmppSession.StatusOf(response);
        if (status == SmppCommandStatus.Ok && response is SubmitSmResp accepted)
        {
            return accepted.MessageId;
        }

        // An unreadable submit_sm_resp leaves open whether the part went: trying again risks a
        // duplicate, which is better than a loss.
        var transient = response is MalformedPdu || IsTransient(status);
        var refused = new SmppSubmitException((uint)status, transient, $"part {part}/{parts} refused by the SMSC: {status}");
        SmppLog.SubmitRefused(_logger, destination, part, parts, refused.Reason);
        throw refused;
    }

    /// <summary>A bound session, round-robin; waits up to ResponseTimeout for one to come up.</summary>
    private async Task<SmppSession> WaitForBindAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        timeout.CancelAfter(_options.ResponseTimeout);
        while (true)
        {
            var signal = Volatile.Read(ref _boundSignal);
            var start = Interlocked.Increment(ref _nextBind);
            for (var i = 0; i < _binds.Length; i++)
            {
                if (_binds[(int)((uint)(start + i) % (uint)_binds.Length)].Current is { } session)
                {
                    return session;
                }
            }

            if (signal.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _boundSignal, NewSignal(), signal);
                continue;
            }

            try
            {
                await signal.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new SmppSubmitException(0, isTransient: true, "not bound to the SMSC");
            }
        }
    }

    private void SignalBound() => Volatile.Read(ref _boundSignal).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task SweepReassemblyAsync(CancellationToken stop)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_options.Limits.ReassemblyTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                await _inbound.DeliverExpiredAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
