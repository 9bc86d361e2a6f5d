using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Runners;

namespace Orchestrator.Master.Api;

/// <summary>
/// <c>GET /jobs</c> (<c>{"return": [{jid: description}]}</c>, the jobs runner's <c>list_jobs</c>) and <c>GET /jobs/{jid}</c>
/// (<c>{"info": [description with jid and Result], "return": [{minion: return}]}</c>), read from the job cache. Both need the
/// jobs runner in the caller's ACL (<c>@jobs</c> or <c>@runner</c>), as in salt-api; an unknown jid is a 404.
/// </summary>
public sealed class JobEndpoints(ApiAuth auth, IJobCache cache, ILogger<JobEndpoints> logger) : IApiEndpoints
{
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", ApiResponder.Handle(context => Task.FromResult(List(context)), logger));
        app.MapGet("/jobs/{jid}", ApiResponder.Handle(context => Task.FromResult(One(context, (string)context.Request.RouteValues["jid"]!)), logger));
    }

    private void Authorize(HttpContext context, string function, string? jid)
    {
        var caller = auth.CallerOf(auth.Require(context));
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (jid is not null)
        {
            kwargs["jid"] = jid;
        }
        auth.Authorize(caller, new AclRequest(AclClient.Jobs, function, [], kwargs));
    }

    private ApiResult List(HttpContext context)
    {
        Authorize(context, "jobs.list_jobs", null);
        var jobs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var job in cache.ListJobs())
        {
            jobs[job.Jid] = JobsRunner.Describe(job);
        }
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["return"] = new List<object?> { jobs } });
    }

    private ApiResult One(HttpContext context, string jid)
    {
        Authorize(context, "jobs.list_job", jid);
        var job = cache.GetJob(jid) ?? throw ApiException.NotFound($"Job {jid} is not in the job cache");
        var returns = cache.GetReturns(jid);
        var info = JobsRunner.Describe(job);
        info["jid"] = jid;
        info["Result"] = returns.ToDictionary(r => r.MinionId, r => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["return"] = r.Return,
            ["retcode"] = (long)r.Retcode,
            ["success"] = r.Success,
        }, StringComparer.Ordinal);
        return new ApiResult(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["info"] = new List<object?> { info },
            ["return"] = new List<object?> { returns.ToDictionary(r => r.MinionId, r => r.Return, StringComparer.Ordinal) },
        });
    }
}
