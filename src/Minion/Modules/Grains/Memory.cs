using System.Globalization;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Memory grains from <c>/proc/meminfo</c>, in MiB as Salt reports them: <c>mem_total</c>, <c>swap_total</c>.</summary>
public sealed class MemoryGrains : IGrainProvider
{
    public string Name => "memory";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var meminfo = context.ReadHostFile("/proc/meminfo") ?? string.Empty;
        long memTotal = 0, swapTotal = 0;
        foreach (var line in meminfo.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib))
            {
                continue;
            }
            switch (parts[0])
            {
                case "MemTotal:":
                    memTotal = kib / 1024;
                    break;
                case "SwapTotal:":
                    swapTotal = kib / 1024;
                    break;
            }
        }
        if (memTotal == 0)
        {
            memTotal = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        }
        return Task.FromResult(new Dictionary<string, object?> { ["mem_total"] = memTotal, ["swap_total"] = swapTotal });
    }
}
