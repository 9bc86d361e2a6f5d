namespace Orchestrator.Shared.Targeting;

/// <summary>The target forms a publish can use, one per Salt <c>tgt_type</c>.</summary>
/// <remarks>Use <see cref="TargetTypeExtensions"/> to convert from and to Salt's <c>tgt_type</c> strings.</remarks>
public enum TargetType
{
    /// <summary>Shell-style glob on the minion id (<c>glob</c>, Salt's default).</summary>
    Glob,

    /// <summary>Comma-separated list (or sequence) of exact minion ids (<c>list</c>, <c>-L</c>).</summary>
    List,

    /// <summary>Regular expression on the minion id, anchored at the start only (<c>pcre</c>, <c>-E</c>).</summary>
    Pcre,

    /// <summary>Grain <c>key:value</c> match, value globbed (<c>grain</c>, <c>-G</c>).</summary>
    Grain,

    /// <summary>Grain <c>key:regex</c> match (<c>grain_pcre</c>, <c>-P</c>).</summary>
    GrainPcre,

    /// <summary>Pillar <c>key:value</c> match, value globbed (<c>pillar</c>, <c>-I</c>).</summary>
    Pillar,

    /// <summary>Pillar <c>key:regex</c> match (<c>pillar_pcre</c>, <c>-J</c>).</summary>
    PillarPcre,

    /// <summary>IP address or CIDR subnet matched against the <c>ipv4</c>/<c>ipv6</c> grains (<c>ipcidr</c>, <c>-S</c>).</summary>
    Subnet,

    /// <summary>A nodegroup name from the master configuration (<c>nodegroup</c>, <c>-N</c>).</summary>
    Nodegroup,

    /// <summary>Boolean combination of the other forms (<c>compound</c>, <c>-C</c>).</summary>
    Compound,
}
