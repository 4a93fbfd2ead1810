namespace Converge.Interworking.Sms;

/// <summary>The bounds an SMPP session enforces on what the SMSC sends and on what it keeps in memory.</summary>
public sealed class SmppLimits
{
    /// <summary>Largest command_length accepted; a larger one is a framing error that ends the bind.</summary>
    public int MaxCommandLength { get; set; } = 64 * 1024;

    /// <summary>Concatenated messages waiting for parts at once; past it the oldest is delivered as it stands.</summary>
    public int MaxPendingReassemblies { get; set; } = 256;

    /// <summary>How long the parts of a concatenated message are waited for.</summary>
    public TimeSpan ReassemblyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Submitted message ids remembered so a receipt's id can be matched in hex or decimal.</summary>
    public int RememberedMessageIds { get; set; } = 20_000;

    /// <summary>deliver_sm PDUs read but not yet handled, per bind; past it the socket is not read.</summary>
    public int InboundQueue { get; set; } = 64;
}
