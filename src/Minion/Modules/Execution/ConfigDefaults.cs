namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The built-in values Salt's <c>config.get</c> falls back to after options, grains, pillar and the master's config.</summary>
/// <remarks>Salt keeps these as the <c>DEFAULTS</c> table of its config module; a user's tree may read them
/// (<c>config.get test.foo</c> is its documented example), so they answer the same here.</remarks>
internal static class ConfigDefaults
{
    public static Dictionary<string, object?> Values => new(StringComparer.Ordinal)
    {
        ["mongo.db"] = "salt",
        ["mongo.password"] = "",
        ["mongo.port"] = 27017L,
        ["mongo.user"] = "",
        ["redis.db"] = "0",
        ["redis.host"] = "127.0.0.1",
        ["redis.port"] = 6379L,
        ["test.foo"] = "unconfigured",
        ["ca.cert_base_path"] = "/etc/pki",
        ["solr.cores"] = new List<object?>(),
        ["solr.host"] = "localhost",
        ["solr.port"] = "8983",
        ["solr.baseurl"] = "/solr",
        ["solr.type"] = "master",
        ["solr.request_timeout"] = null,
        ["solr.init_script"] = "/etc/rc.d/solr",
        ["solr.dih.import_options"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["clean"] = false,
            ["optimize"] = true,
            ["commit"] = true,
            ["verbose"] = false,
        },
        ["solr.backup_path"] = null,
        ["solr.num_backups"] = 1L,
        ["poudriere.config"] = "/usr/local/etc/poudriere.conf",
        ["poudriere.config_dir"] = "/usr/local/etc/poudriere.d",
        ["ldap.uri"] = "",
        ["ldap.server"] = "localhost",
        ["ldap.port"] = "389",
        ["ldap.tls"] = false,
        ["ldap.no_verify"] = false,
        ["ldap.anonymous"] = true,
        ["ldap.scope"] = 2L,
        ["ldap.attrs"] = null,
        ["ldap.binddn"] = "",
        ["ldap.bindpw"] = "",
        ["hosts.file"] = "/etc/hosts",
        ["aliases.file"] = "/etc/aliases",
        ["virt"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tunnel"] = false,
            ["images"] = "/srv/salt-images",
        },
        ["docker.exec_driver"] = "docker-exec",
        ["docker.compare_container_networks"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["static"] = new List<object?> { "Aliases", "Links", "IPAMConfig" },
            ["automatic"] = new List<object?> { "IPAddress", "Gateway", "GlobalIPv6Address", "IPv6Gateway" },
        },
    };
}
