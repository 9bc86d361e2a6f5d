namespace Orchestrator.Minion.Modules.Grains;

/// <summary><c>efi</c> (the firmware exposes EFI variables) and <c>efi-secure-boot</c> (SecureBoot's variable is 1), as Salt's <c>uefi</c>.</summary>
public sealed class UefiGrains : IGrainProvider
{
    public string Name => "uefi";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var vars = new[] { "/sys/firmware/efi/efivars", "/sys/firmware/efi/vars" }.FirstOrDefault(context.HostExists);
        var secureBoot = false;
        if (vars is not null)
        {
            // Salt globs SecureBoot-*/data: the older sysfs "vars" layout, one directory per variable.
            try
            {
                var matches = Directory.GetDirectories(context.HostPath(vars), "SecureBoot-*")
                    .Select(dir => Path.Combine(dir, "data"))
                    .Where(File.Exists)
                    .ToList();
                if (matches.Count == 1)
                {
                    var data = File.ReadAllBytes(matches[0]);
                    secureBoot = data.Length > 0 && data[^1] == 1;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Readable by root only: Salt reports False then.
            }
        }
        return Task.FromResult(new Dictionary<string, object?> { ["efi"] = vars is not null, ["efi-secure-boot"] = secureBoot });
    }
}
