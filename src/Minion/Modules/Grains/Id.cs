using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>id</c> grain (the minion id) and <c>server_id</c>: the id's SHA-256 as a number, modulo 2^31, as Salt's <c>get_server_id</c>.</summary>
public sealed class IdGrains : IGrainProvider
{
    public string Name => "id";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new Dictionary<string, object?> { ["id"] = context.MinionId, ["server_id"] = ServerId(context.MinionId) });

    internal static long ServerId(string id)
    {
        var hash = new BigInteger(SHA256.HashData(Encoding.UTF8.GetBytes(id)), isUnsigned: true, isBigEndian: true);
        return (long)(hash % (BigInteger.One << 31));
    }
}
