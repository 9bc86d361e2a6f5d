namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Firmware grains from <c>/sys/class/dmi/id</c> as Salt's <c>_hw_data</c> on Linux: <c>biosversion</c>, <c>productname</c>, <c>manufacturer</c>, <c>uuid</c>...</summary>
/// <remarks>Each file that exists and is readable gives its grain; containers and VMs without DMI get none.</remarks>
public sealed class HardwareGrains : IGrainProvider
{
    private static readonly (string Grain, string File)[] Files =
    [
        ("biosversion", "bios_version"), ("biosvendor", "bios_vendor"), ("boardname", "board_name"), ("productname", "product_name"),
        ("manufacturer", "sys_vendor"), ("biosreleasedate", "bios_date"), ("uuid", "product_uuid"), ("serialnumber", "product_serial"),
    ];

    public string Name => "hardware";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var grains = new Dictionary<string, object?>();
        if (context.HostExists("/sys/class/dmi/id"))
        {
            foreach (var (grain, file) in Files)
            {
                if (context.ReadHostFile("/sys/class/dmi/id/" + file) is { } value)
                {
                    grains[grain] = grain == "uuid" ? value.Trim().ToLowerInvariant() : value.Trim();
                }
            }
        }
        return Task.FromResult(grains);
    }
}
