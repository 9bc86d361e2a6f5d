using System.Diagnostics;
using System.Security.Cryptography;

namespace Orchestrator.Bench;

/// <summary>
/// RSA-2048 keys for simulated minions, cached as PKCS#8 PEM files between runs (generating 5,000 takes minutes on two
/// cores; loading them takes about a second). Missing keys are generated in parallel on every core.
/// </summary>
public static class KeyCache
{
    public static string DefaultDirectory()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(cache, "orch-bench", "keys");
    }

    public static string PathOf(string directory, int index) => Path.Combine(directory, $"minion-{index:D5}.pem");

    /// <summary>Makes sure keys 0..count-1 exist; returns how many were generated and how long that took.</summary>
    public static (int Generated, TimeSpan Elapsed) Ensure(string directory, int count, Action<string> log)
    {
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var missing = Enumerable.Range(0, count).Where(i => !File.Exists(PathOf(directory, i))).ToList();
        if (missing.Count == 0)
        {
            return (0, TimeSpan.Zero);
        }
        log($"generating {missing.Count} RSA-2048 minion keys in parallel into {directory} (cached for later runs)...");
        var clock = Stopwatch.StartNew();
        var done = 0;
        Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            using var rsa = RSA.Create(2048);
            var path = PathOf(directory, i);
            var temp = path + $".{Environment.ProcessId}.tmp";
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(rsa.ExportPkcs8PrivateKeyPem());
            }
            File.Move(temp, path, overwrite: true);
            var n = Interlocked.Increment(ref done);
            if (n % 500 == 0)
            {
                log($"  {n}/{missing.Count} keys ({clock.Elapsed.TotalSeconds:F0}s)");
            }
        });
        return (missing.Count, clock.Elapsed);
    }

    /// <summary>
    /// The public half of key <paramref name="index"/> as the simulated minion sends it (SubjectPublicKeyInfo PEM), cached
    /// beside the private key after the first call.
    /// </summary>
    public static string PublicPem(string directory, int index)
    {
        var path = Path.ChangeExtension(PathOf(directory, index), ".pub");
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }
        using var rsa = Load(directory, index);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        var temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, pem);
        File.Move(temp, path, overwrite: true);
        return pem;
    }

    public static RSA Load(string directory, int index)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(PathOf(directory, index)));
        return rsa;
    }
}
