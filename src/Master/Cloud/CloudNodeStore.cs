using System.Text.Json;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Cloud;

/// <summary>
/// One small JSON file per node under <c>cachedir/cloud-nodes</c> (0600 files in a 0700 directory: they locate keys and
/// processes). Written before a node's process starts, so a master that dies half-way still knows what to tear down.
/// </summary>
public sealed class CloudNodeStore(string cacheDir)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private string Dir => Path.Combine(cacheDir, "cloud-nodes");

    /// <summary>Every recorded node, by name; unreadable files are skipped.</summary>
    public IReadOnlyList<CloudNode> List()
    {
        if (!Directory.Exists(Dir))
        {
            return [];
        }
        var nodes = new List<CloudNode>();
        foreach (var path in Directory.EnumerateFiles(Dir, "*.json").Order(StringComparer.Ordinal))
        {
            if (Read(path) is { } node)
            {
                nodes.Add(node);
            }
        }
        return nodes;
    }

    public CloudNode? Find(string name) => File.Exists(PathOf(name)) ? Read(PathOf(name)) : null;

    public void Save(CloudNode node)
    {
        PrivateFiles.EnsureDirectory(Dir);
        var path = PathOf(node.Name);
        var temp = path + ".tmp";
        PrivateFiles.EnsureFile(temp);
        File.WriteAllText(temp, JsonSerializer.Serialize(node, Json));
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string name) => File.Delete(PathOf(name));

    private string PathOf(string name) => Path.Combine(Dir, name + ".json");

    private static CloudNode? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CloudNode>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }
}
