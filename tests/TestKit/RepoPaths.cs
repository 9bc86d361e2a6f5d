namespace Orchestrator.Testing;

/// <summary>Locates the repository (the folder holding Orchestrator.sln) from a test's output directory.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new DirectoryNotFoundException("Orchestrator.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Copies a repository folder (states/, pillars/) into <paramref name="target"/>, so tests never write to the original.</summary>
    public static string CopyTree(string folder, string target)
    {
        var source = Path.Combine(Root, folder);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }
}
