// Generated from contracts/ by `npm run contract:types`. Do not edit.
export interface paths {
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getOpenIdConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Starts the authorization code flow. A request it can attribute to a client and a registered redirect_uri ends in a redirect to that URI (AuthorizationCallbackSuccess or AuthorizationCallbackError in the query), after the login and consent pages. A request with an unknown client or an unregistered redirect_uri is never redirected to that URI. */
        get: operations["authorize"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description reference/consent/openid-configuration.md */
        OpenIdConfiguration: {
            /**
             * Format: uri
             * @description The access host, with a trailing slash
             */
            issuer: string;
            /** Format: uri */
            authorization_endpoint: string;
            /** Format: uri */
            token_endpoint: string;
            /** Format: uri */
            jwks_uri: string;
            /** Format: uri */
            userinfo_endpoint?: string;
            /** Format: uri */
            revocation_endpoint?: string;
            /** Format: uri */
            end_session_endpoint?: string;
            subject_types_supported: string[];
            response_types_supported: string[];
            response_modes_supported?: string[];
            claims_supported?: string[];
            /** @description Must offer authorization_code and client_credentials. */
            grant_types_supported: string[] & (unknown & unknown);
            scopes_supported?: string[];
            token_endpoint_auth_methods_supported: string[];
            userinfo_signing_alg_values_supported?: string[];
            id_token_signing_alg_values_supported: string[];
            request_object_signing_alg_values_supported?: string[];
            request_parameter_supported?: boolean;
            request_uri_parameter_supported?: boolean;
            require_request_uri_registration?: boolean;
            claims_parameter_supported?: boolean;
        };
        /** @description The keys behind jwks_uri; ID tokens are signed RS256. */
        JsonWebKeySet: {
            keys: {
                kty: string;
                kid: string;
                use?: string;
                alg?: string;
                n?: string;
                e?: string;
            }[];
        };
        /** @description token-endpoint.md; application/x-www-form-urlencoded, client authenticated with HTTP Basic. */
        TokenRequest: components["schemas"]["AuthorizationCodeGrant"] | components["schemas"]["ClientCredentialsGrant"];
        AuthorizationCodeGrant: {
            /** @enum {string} */
            grant_type: "authorization_code";
            /** @description The code received on the callback */
            code: string;
            /** @description The redirect_uri of the authorization request */
            redirect_uri: string;
            /** @description Optional beside Basic auth; must then match */
            client_id?: string;
        };
        ClientCredentialsGrant: {
            /** @enum {string} */
            grant_type: "client_credentials";
            /** @description reference/index.md: one audience per service */
            audience: string;
            /** @description Space-separated scopes of that service */
            scope: string;
            client_id?: string;
        };
        /** @description token-endpoint.md example responses. */
        TokenResponse: {
            access_token: string;
            expires_in: number;
            scope: string;
            /** @description RFC 6749 §5.1, §7.1: case insensitive; token-endpoint.md sends "bearer" */
            token_type: string;
            /** @description scopes.md: when openid was requested */
            id_token?: string;
        };
        /** @description RFC 6749 section 5.2. */
        OAuthError: {
            /** @enum {string} */
            error: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope";
            error_description?: string;
            error_hint?: string;
        };
        /** @description auth-endpoint.md: the query of the redirect to redirect_uri after consent. */
        AuthorizationCallbackSuccess: {
            code: string;
            /** @description The scope without its .N duration (scopes.md) */
            scope: string;
            state: string;
        };
        /** @description auth-endpoint.md: the query of the redirect when the flow ends without consent. */
        AuthorizationCallbackError: {
            /** @enum {string} */
            error: "consent_denied" | "server_error" | "invalid_scopes" | "login_cancelled";
            error_description?: string;
            state: string;
        };
        /** @description scopes.md: an RS256 JWT with pid (the NIN) and consent_id; OIDC Core for the rest. */
        IdTokenClaims: {
            iss: string;
            aud: string | string[];
            /** @description Pairwise; should not be stored */
            sub: string;
            exp: number;
            iat: number;
            pid: string;
            consent_id: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getOpenIdConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discovery metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenIdConfiguration"];
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signing keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonWebKeySet"];
                };
            };
        };
    };
    authorize: {
        parameters: {
            query: {
                client_id: string;
                response_type: "code";
                /** @description One debt scope, optional .N days, optional trailing openid (scopes.md) */
                scope: string;
                redirect_uri: string;
                state: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A login or consent page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description To the login page, or to redirect_uri with the callback parameters */
            302: {
                headers: {
                    Location: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An error page; never a redirect to an unregistered redirect_uri */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description An access token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description RFC 6749 error (invalid_request, invalid_grant, invalid_scope, unsupported_grant_type) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description invalid_client (unknown client or wrong secret) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
        };
    };
}
