namespace Orchestrator.Minion.Modules.Grains;

/// <summary><c>ip_gw</c>, <c>ip4_gw</c>, <c>ip6_gw</c> from <c>ip -4/-6 route show</c> as Salt's <c>default_gateway</c>; absent without <c>ip</c>.</summary>
/// <remarks>A family's grain is the first default route's <c>via</c> address, True for a default route without one, else False.</remarks>
public sealed class GatewayGrains : IGrainProvider
{
    public string Name => "gateway";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var grains = new Dictionary<string, object?>();
        if (context.Which("ip") is not { } ip)
        {
            return grains;
        }
        grains["ip_gw"] = false;
        foreach (var version in new[] { "4", "6" })
        {
            object gateway = false;
            var output = (await context.RunAsync(ip, ["-" + version, "route", "show"], cancellationToken).ConfigureAwait(false))?.Stdout ?? "";
            foreach (var line in output.Split('\n'))
            {
                if (!line.StartsWith("default", StringComparison.Ordinal))
                {
                    continue;
                }
                grains["ip_gw"] = true;
                var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                gateway = words.Length >= 3 && words[1] == "via" ? words[2] : true;
                break;
            }
            grains[$"ip{version}_gw"] = gateway;
        }
        return grains;
    }
}
