namespace Converge.Interworking.Sms.Esme;

/// <summary>Session states of SMPP 3.4 §2.2, as an ESME with transceiver binds sees them.</summary>
internal enum SmppSessionState
{
    /// <summary>Connected, bind_transceiver not yet answered.</summary>
    Open,

    /// <summary>bind_transceiver answered with ESME_ROK.</summary>
    Bound,

    /// <summary>unbind sent or received; only responses and the unbind exchange remain.</summary>
    Unbinding,

    Closed,
}
