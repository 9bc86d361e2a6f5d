using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary><c>num_gpus</c> and <c>gpus</c> (vendor, model) from <c>lspci -vmm</c>, as Salt's <c>_linux_gpu_data</c>.</summary>
/// <remarks>
/// Without lspci, or with <c>enable_lspci</c> or <c>enable_gpu_grains</c> set to False, they are 0 and an empty list (Salt's
/// defaults in <c>os_data</c>).
/// </remarks>
public sealed partial class GpuGrains : IGrainProvider
{
    private static readonly string[] KnownVendors = ["nvidia", "amd", "ati", "intel", "cirrus logic", "vmware", "matrox", "aspeed"];
    private static readonly string[] GpuClasses = ["vga compatible controller", "3d controller", "display controller"];

    public string Name => "gpu";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var gpus = new List<object?>();
        if (context.Opts.GetValueOrDefault("enable_lspci") is not false
            && context.Opts.GetValueOrDefault("enable_gpu_grains") is not false
            && context.Which("lspci") is { } lspci)
        {
            var output = (await context.RunAsync(lspci, ["-vmm"], cancellationToken).ConfigureAwait(false))?.Stdout ?? string.Empty;
            gpus.AddRange(Parse(output));
        }
        return new Dictionary<string, object?> { ["num_gpus"] = (long)gpus.Count, ["gpus"] = gpus };
    }

    internal static IEnumerable<object?> Parse(string lspciOutput)
    {
        var device = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lspciOutput.Split('\n').Select(l => l.TrimEnd('\r')).Append(string.Empty))
        {
            if (line.Length == 0)
            {
                if (GpuClasses.Contains(device.GetValueOrDefault("Class", "").ToLowerInvariant()))
                {
                    var words = NonAlphanumeric().Split(device.GetValueOrDefault("Vendor", "").ToLowerInvariant());
                    yield return new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["vendor"] = KnownVendors.FirstOrDefault(words.Contains) ?? "unknown",
                        ["model"] = device.GetValueOrDefault("Device", ""),
                    };
                }
                device.Clear();
            }
            else if (RecordLine().IsMatch(line))
            {
                var colon = line.IndexOf(':');
                device[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
    }

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex(@"^\w+:\s+.*")]
    private static partial Regex RecordLine();
}
