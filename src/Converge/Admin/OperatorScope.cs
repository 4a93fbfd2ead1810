namespace Converge.Admin;

/// <summary>What an operator may do through the admin API: read figures and lists, or also change things.</summary>
internal enum OperatorScope
{
    Read,
    Admin,
}
