namespace Orchestrator.Shared.Commands;

/// <summary>The verbs of <c>orch</c>, as flags so that one option can belong to several (Salt's four CLIs in one).</summary>
[Flags]
public enum CliVerb
{
    /// <summary><c>orch TARGET FUN</c> (salt).</summary>
    Publish = 1,

    /// <summary><c>orch key</c> (salt-key).</summary>
    Key = 2,

    /// <summary><c>orch run</c> (salt-run).</summary>
    Run = 4,

    /// <summary><c>orch call</c> (salt-call).</summary>
    Call = 8,

    /// <summary><c>orch cloud</c> (salt-cloud).</summary>
    Cloud = 16,

    /// <summary>Every verb.</summary>
    All = Publish | Key | Run | Call | Cloud,
}
