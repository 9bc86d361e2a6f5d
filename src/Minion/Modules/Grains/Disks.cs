namespace Orchestrator.Minion.Modules.Grains;

/// <summary><c>disks</c> and <c>ssds</c>: the block devices of <c>/sys/block</c> that are not virtual, by their rotational flag (Salt's <c>_linux_disks</c>).</summary>
public sealed class DisksGrains : IGrainProvider
{
    public string Name => "disks";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var disks = new List<object?>();
        var ssds = new List<object?>();
        var block = context.HostPath("/sys/block");
        if (Directory.Exists(block))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(block).Order(StringComparer.Ordinal))
            {
                var target = new FileInfo(entry).LinkTarget ?? string.Empty;
                if (target.StartsWith("../devices/virtual/", StringComparison.Ordinal))
                {
                    continue;
                }
                var device = Path.GetFileName(entry);
                switch (context.ReadHostFile($"/sys/block/{device}/queue/rotational")?.FirstOrDefault())
                {
                    case '0':
                        ssds.Add(device);
                        break;
                    case '1':
                        disks.Add(device);
                        break;
                }
            }
        }
        return Task.FromResult(new Dictionary<string, object?> { ["disks"] = disks, ["ssds"] = ssds });
    }
}
