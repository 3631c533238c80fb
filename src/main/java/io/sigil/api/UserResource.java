package io.sigil.api;

import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.auth.UserRequest;
import io.sigil.auth.UserService;
import io.sigil.auth.UserView;
import io.sigil.common.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.ResponseStatus;

/** {@code /pulp/api/v3/users/}: user management, for admins only. */
@Path("/pulp/api/v3/users/")
@Authorized(AccessLevel.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    @Inject
    UserService users;

    @GET
    public Page<UserView> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                               @QueryParam("username") String username, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        return Page.of(uri, page, users.count(username), users.list(username, page.limit(), page.offset()));
    }

    @POST
    @ResponseStatus(201)
    public UserView create(UserRequest request) {
        return users.create(orEmpty(request));
    }

    @GET
    @Path("{id}/")
    public UserView get(@PathParam("id") String id) {
        return users.get(id);
    }

    @PUT
    @Path("{id}/")
    public UserView replace(@PathParam("id") String id, UserRequest request) {
        return users.update(id, orEmpty(request), false);
    }

    @PATCH
    @Path("{id}/")
    public UserView update(@PathParam("id") String id, UserRequest request) {
        return users.update(id, orEmpty(request), true);
    }

    @DELETE
    @Path("{id}/")
    public void delete(@PathParam("id") String id) {
        users.delete(id);
    }

    /** An empty body reads as null; treat it as an object with no fields so validation names what is missing. */
    private static UserRequest orEmpty(UserRequest request) {
        return request == null ? new UserRequest(null, null, null) : request;
    }
}
