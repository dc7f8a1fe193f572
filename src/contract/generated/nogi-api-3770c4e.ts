// Generated from contracts/ by `npm run contract:types`. Do not edit.
export interface paths {
    "/v1/consent/agreement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Register a consent
         * @description When a valid consent have been given by a person, this service can be called to create consent at Norsk Gjeldsinformasjon. Consents created and information about their use will also be visible to the person when logged in at norskgjeld.no
         */
        put: operations["createConsent"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feed/v1/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns the events from 'fromSequenceNr' (included), limited to 'limit' nr of events */
        get: operations["feed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feed/v1/consent/lastSequenceNr": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns the last ('newest') sequence number in the event feed */
        get: operations["lastSequenceNr"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feed/v1/consent/firstSequenceNr": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Returns the first ('oldest') sequence number in the event feed */
        get: operations["firstSequenceNr"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/debt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get debt information with Access token granted in authorization code flow
         * @description When the access token is granted as a part of an OAuth2 Authorization code flow it contains information about the user and it is therefore enough to provide the access token to collect debt information
         */
        get: operations["getDebtWithAuthCodeToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/debt/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get debt information by ID */
        get: operations["getDebtWithConsentID"];
        put?: never;
        post?: never;
        /** Revoke a consent by ID */
        delete: operations["revokeConsentByID"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/debt/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get consent status by ID */
        get: operations["getConsentStatusWithID"];
        put?: never;
        post?: never;
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
        CreateConsentRequestDTO: {
            /**
             * @description Norwegian national identity number
             * @example 12829499914
             */
            nin: string;
            /**
             * @description The scope of consent (e.g. presentation)
             * @enum {string}
             */
            scope_of_consent: "debt.unsecured.presentation" | "debt.unsecured.processing" | "debt.unsecured.monitoring";
            /**
             * Format: int32
             * @description The consent duration (in days)
             * @example 100
             */
            consent_duration_days: number;
            /**
             * @description The ID for the consent stored on your side. Must be unique
             * @example e91fcf4c-cfbd-4d59-91e3-71da7a498cac
             */
            client_consent_id: string;
        };
        ProblemDetailWithErrorReference: {
            /** Format: int32 */
            status: number;
            /** Format: uri-reference */
            type?: string;
            title: string | null;
            detail?: string | null;
            /** Format: uri-reference */
            instance?: string | null;
            /** @description Error reference used for support */
            errorReference: string;
        };
        ConsentResponseDTO: {
            /**
             * @description Unique identifier for Norsk Gjeldsinformasjons stored consent. Use this id when referring to the consent in other NoGi APIs
             * @example 0dcec3d5-6844-4d2c-b972-83086064b111
             */
            id: string;
            /**
             * Format: date-time
             * @description Expiry time of the consent (ISO-8601 formatted)
             * @example 2018-01-10T06:14:00Z
             */
            expires_at: string;
            /**
             * @description Scope of the generated consent
             * @enum {string}
             */
            scope_of_consent: "debt.unsecured.presentation" | "debt.unsecured.processing" | "debt.unsecured.monitoring";
        };
        CreateConsentResponseDTO: {
            /**
             * @description The id for the consent on _your_ side. Will be the same as 'client_consent_id' in the request
             * @example e91fcf4c-cfbd-4d59-91e3-71da7a498cac
             */
            client_consent_id: string;
            consent: components["schemas"]["ConsentResponseDTO"];
        };
        SamtykkeArkivertEventDTO: {
            /**
             * Format: uuid
             * @description The client that this consent was given to
             * @example a1e533a5-6311-40c6-9db0-93fe37baab14
             */
            clientId: string;
            /**
             * Format: uuid
             * @description This events corresponding 'consentId'. Can be used to figure out the proper enduser
             * @example dffe8795-4a91-4729-9fc8-68c42b33eb00
             */
            consentId: string;
        };
        SamtykkeFeedEventDTO: {
            /**
             * Format: int64
             * @description This events sequenceNr
             * @example 12356
             */
            sequenceNr: number;
            /**
             * Format: uuid
             * @description This events id
             * @example a132b02b-f543-4e35-9f46-60ba598da886
             */
            eventId: string;
            /**
             * Format: uuid
             * @description This events corresponding 'consentId'. Can be used to figure out the proper enduser
             * @example 5826f424-1848-4fc3-bb60-1bfca8f4a701
             */
            consentId: string;
            /**
             * Format: date-time
             * @description When the event occurred (ISO-8601)
             * @example 2024-05-16T14:50:44.270Z
             */
            timestamp: string;
            /**
             * @description The event type
             * @enum {string}
             */
            eventType: "SAMTYKKE_OPPRETTET" | "SAMTYKKE_ARKIVERT";
            /** @description The event content if event is of type SAMTYKKE_OPPRETTET */
            samtykkeOpprettetEvent?: components["schemas"]["SamtykkeOpprettetEventDTO"] | null;
            /** @description The event content if event is of type SAMTYKKE_ARKIVERT */
            samtykkeArkivertEvent?: components["schemas"]["SamtykkeArkivertEventDTO"] | null;
        };
        SamtykkeFeedResponseDTO: {
            /**
             * Format: int64
             * @description The start sequence number (included) for this response
             * @example 1
             */
            startSequenceNr: number;
            /**
             * Format: int64
             * @description The last (included) sequence number for this response
             * @example 2
             */
            endSequenceNr: number;
            /**
             * Format: date-time
             * @description Timestamp for when this response was generated (ISO-8601)
             * @example 2024-05-13T14:30:00.123Z
             */
            generatedAt: string;
            /** @description The actual events */
            result: components["schemas"]["SamtykkeFeedEventDTO"][];
        };
        SamtykkeOpprettetEventDTO: {
            /**
             * Format: uuid
             * @description The client that this consent has been given to
             * @example a1e533a5-6311-40c6-9db0-93fe37baab14
             */
            clientId: string;
            /**
             * Format: uuid
             * @description This events corresponding 'consentId'. Can be used to figure out the proper enduser
             * @example 07c1fa64-30a5-4066-8b6f-37a3fa1c83f9
             */
            consentId: string;
            /**
             * @description Indicates which type of consent the user agreed to
             * @example debt.unsecured.presentation
             */
            scope: string;
            /**
             * @description Clients reference to this consent
             * @example consent-123
             */
            externalConsentId?: string | null;
        };
        /** @description The last ('newest') sequence number */
        LastSequenceNrResponse: {
            /** Format: int64 */
            lastSequenceNr: number;
        };
        /** @description The first ('oldest') sequence number */
        FirstSequenceNrResponse: {
            /** Format: int64 */
            firstSequenceNr: number;
        };
        debt_information: {
            consent?: components["schemas"]["consent_metadata"];
            /**
             * @description Norwegian national identity number.
             * @example 01017012345
             */
            ssn?: string;
            loans?: {
                /**
                 * @description Name of creditor
                 * @example NORSK GJELDSINFORMASJON AS
                 */
                creditorName?: string;
                loan?: (components["schemas"]["credit_facility"] | components["schemas"]["repayment_loan"] | components["schemas"]["charge_cards"]) | null;
            }[];
            /**
             * @description How many of the creditors of the loan applicant that answered the request
             * @example 3
             */
            numberOfCreditorsAnswered?: number;
            /**
             * @description How many of the creditors of the loan applicant that did not answer the request. When this is greater than 0, each unanswered loan will be reported as null.
             * @example 1
             */
            numberOfcreditorsMissing?: number;
        };
        credit_facility: {
            /**
             * @description type of loan (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            type: "creditFacility";
            /**
             * @description Timestamp for when the data payload was extracted from the system and processed in this object. Do not use the timestamp for the last account transaction/movement. Timestamp is ISO 8601-formatted date and time.
             * @example 2018-02-05T12:54:12Z
             */
            timestamp: string;
            /**
             * @description 2=Has co-borrower, 1=Is co-borrower, 0=No coBorrower
             * @example 0
             */
            coBorrower: number;
            /**
             * @description The maximum credit for the loan. Amount defined in NOK. (100 NOK encoded as 10000)
             * @example 1200000
             */
            creditLimit: number;
            /**
             * @description The interest-bearing balance for the credit facility. Amount defined in NOK.If the balance is negative (FI owes customer money), a balance of 0 should be reported. (100 NOK encoded as 10000)
             * @example 123100
             */
            interestBearingBalance: number;
            /**
             * @description The non-interest-bearing balance for the credit facility. Non-interest-bearing balance is calculated by subtracting interest-bearing balance from booked balance. Amount defined in NOK.  If the balance is negative (FI owes customer money), a balance of 0 should be reported.(100 NOK encoded as 10000)
             * @example 1453900
             */
            nonInterestBearingBalance: number;
            /**
             * @description The nominal interest rate of the credit facility. (10.20 % is encoded as 1020.)
             * @example 1000
             */
            nominalInterestRate: number;
            /**
             * @description Installment charges related to the credit facility. (100 NOK encoded as 10000)
             * @example 10000
             */
            installmentCharges: number;
            /**
             * @description Charges is be reported as a monthly charge/fee. Those using other intervals must recalculate to a monthly charge. Quarterly charges of 300 NOK should be reported as: 300 NOK divided by 3 months = 100 NOK monthly charges. If there is a combination of monthly and other (twice a year, yearly etc.), add up to yearly, and divide by 12 months.
             * @example MONTHLY
             * @enum {string}
             */
            installmentChargePeriod: "MONTHLY" | "QUARTERLY" | "HALF-YEARLY" | "YEARLY";
        };
        repayment_loan: {
            /**
             * @description type of loan (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            type: "repaymentLoan";
            /**
             * @description Timestamp for when the data payload was extracted from the system and processed in this object. Do not use the timestamp for the last account transaction/movement. Timestamp is ISO 8601-formatted date and time.
             * @example 2018-02-05T12:54:12Z
             */
            timestamp: string;
            /**
             * @description 2=Has co-borrower, 1=Is co-borrower, 0=No coBorrower
             * @example 1
             */
            coBorrower: number;
            /**
             * @description The original amount of the loan from the date the loan was granted. Amount defined in NOK.  If the balance is negative (FI owes customer money), a balance of 0 should be reported. (100 NOK encoded as 10000)
             * @example 1200000
             */
            originalBalance: number;
            /**
             * @description The balance for the repayment loan. Amount defined in NOK.  If the balance is negative (FI owes customer money), a balance of 0 should be reported. (100 NOK encoded as 10000)
             * @example 123100
             */
            balance: number;
            /**
             * @description Remaining terms for the repayment loan in months.
             * @example 3
             */
            terms: number;
            /**
             * @description The nominal interest rate of the credit facility. (10.20 % is encoded as 1020.)
             * @example 1000
             */
            nominalInterestRate: number;
            /**
             * @description Installment charges related to the credit facility. (100 NOK encoded as 10000)
             * @example 10000
             */
            installmentCharges: number;
            /**
             * @description Charges is be reported as a monthly charge/fee. Those using other intervals must recalculate to a monthly charge. Quarterly charges of 300 NOK should be reported as: 300 NOK divided by 3 months = 100 NOK monthly charges. If there is a combination of monthly and other (twice a year, yearly etc.), add up to yearly, and divide by 12 months.
             * @example MONTHLY
             * @enum {string}
             */
            installmentChargePeriod: "MONTHLY" | "QUARTERLY" | "HALF-YEARLY" | "YEARLY";
        };
        charge_cards: {
            /**
             * @description type of loan (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            type: "chargeCard";
            /**
             * @description Timestamp for when the data payload was extracted from the system and processed in this object. Do not use the timestamp for the last account transaction/movement. Timestamp is ISO 8601-formatted date and time.
             * @example 2018-02-05T12:54:12Z
             */
            timestamp: string;
            /**
             * @description 2=Has co-borrower, 1=Is co-borrower, 0=No coBorrower
             * @example 1
             */
            coBorrower: number;
            /**
             * @description The interest-bearing balance for the credit facility. Amount defined in NOK.  If the balance is negative (FI owes customer money), a balance of 0 should be reported. (100 NOK encoded as 10000)
             * @example 123100
             */
            interestBearingBalance: number;
            /**
             * @description The non-interest-bearing balance for the credit facility. Non-interest-bearing balance is calculated by subtracting interest-bearing balance from booked balance. Amount defined in NOK.  If the balance is negative (FI owes customer money), a balance of 0 should be reported. 100 NOK encoded as 10000
             * @example 145390
             */
            nonInterestBearingBalance: number;
        };
        consent_metadata: {
            /**
             * @description The unique ID for the consent.
             * @example cc184bd1-0231-4f69-93eb-49bb37f0f880
             */
            id?: string;
            /**
             * @description Consent expiry in epoch time.
             * @example 1629195636
             */
            exp?: number;
            /**
             * @description The scope the user consented to sharing
             * @example debt.unsecured.presentation
             * @enum {string}
             */
            scope?: "debt.unsecured.presentation" | "debt.unsecured.processing" | "debt.unsecured.monitoring";
        };
        consent_status: {
            /**
             * @description Whether this consent is active
             * @example true
             */
            active?: boolean;
            /**
             * @description Consent expiry in epoch time.
             * @example 1629195636
             */
            expires_at?: number;
        };
        error: {
            /**
             * @description The error
             * @example invalid access token
             */
            error?: string;
            /**
             * @description An optional short description of the error that occured
             * @example Access token is expired
             */
            error_description?: string;
            /**
             * @description Time when the error was handled. Timestamp is ISO 8601-formatted date and time.
             * @example 2021-02-26T09:27:47.852005Z
             */
            timestamp?: string;
            /**
             * @description Unique id that can be used to fascilitate debugging. Will be set to the value of the X-Trace-ID header if it was provided.
             * @example 06ce1bf6-4dab-403c-8df6-c8f4f70e7107
             */
            trace_id?: string;
        };
        consent_info: {
            /**
             * @description The status of consent with the given ID. If no consent was found this will be false
             * @example true
             */
            active?: boolean;
            /**
             * @description The expiration date of the consent
             * @example 2021-02-26T09:27:47.852005Z
             */
            expires_at?: string;
        };
        SpringErrorSchema: {
            /**
             * Format: int32
             * @description Status code of the response
             */
            status: number;
            /**
             * Format: date-time
             * @description Timestamp of the response (ISO-8601 formatted)
             */
            timestamp: string;
            /**
             * Format: uri-reference
             * @description The endpoint path of the failed request
             */
            path: string;
            /** @description Short description of the error */
            error: string;
            /** @description More detailed description of the error */
            message?: string;
            /** @description The request ID */
            requestId: string;
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
    createConsent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateConsentRequestDTO"];
            };
        };
        responses: {
            /** @description Consent was successfully registered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateConsentResponseDTO"];
                };
            };
            /** @description Bad request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetailWithErrorReference"];
                };
            };
            /** @description Unauthorized to access this endpoint */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetailWithErrorReference"];
                };
            };
            /** @description You are not allowed to register this consent */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetailWithErrorReference"];
                };
            };
            /** @description This consent (represented by 'client_consent_id') is already registered with some other data. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetailWithErrorReference"];
                };
            };
            /** @description Internal server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetailWithErrorReference"];
                };
            };
        };
    };
    feed: {
        parameters: {
            query: {
                fromSequenceNr: number;
                limit: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Response OK with two events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SamtykkeFeedResponseDTO"];
                };
            };
            /** @description Bad request, a missing or invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
            /** @description Request was unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The token lacks the feed scope or audience */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
            /** @description Some internal error occurred */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
        };
    };
    lastSequenceNr: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LastSequenceNrResponse"];
                };
            };
            /** @description Bad request, a missing or invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
            /** @description Request was unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The token lacks the feed scope or audience */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
            /** @description Some internal error occurred */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
        };
    };
    firstSequenceNr: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FirstSequenceNrResponse"];
                };
            };
            /** @description Bad request, a missing or invalid query parameter */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
            /** @description Request was unauthorized */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The token lacks the feed scope or audience */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
            /** @description Some internal error occurred */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpringErrorSchema"];
                };
            };
        };
    };
    getDebtWithAuthCodeToken: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Access token received from the auth server by using the authorization code flow
                 * @example Bearer osbj5aJNmLhzRH_IxdDdiKUycGFHncWxYVT9vsdWpy8.ViC0zK6sv83LOxmd2oIunMgRcSKgEe6O9IXymQ5kxww
                 */
                Authorization: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successfully fetched debt info */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["debt_information"];
                };
            };
            /** @description Bad request, missing required parameter(s) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Invalid access token or no valid consent present */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unknown server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    getDebtWithConsentID: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Access token received from the auth server with a client credential grant
                 * @example Bearer 4GWrtt33o6cPVaLic04g9V4uaQgjmELlWpfVJPwVOqU.Z8FQXRKZDIP3ONPkD7FVQ8Jols3qNVUQ315GOcdTqBQ
                 */
                Authorization: string;
            };
            path: {
                /**
                 * @description The ID of the consent
                 * @example 9c2a58dd-c0ea-4243-9b0f-baef670e7043
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successfully fetched debt info */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["debt_information"];
                };
            };
            /** @description Bad request, missing required parameter(s) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Invalid access token or no valid consent present */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unknown server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    revokeConsentByID: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Access token received from the auth server with a client credential grant
                 * @example Bearer 4GWrtt33o6cPVaLic04g9V4uaQgjmELlWpfVJPwVOqU.Z8FQXRKZDIP3ONPkD7FVQ8Jols3qNVUQ315GOcdTqBQ
                 */
                Authorization: string;
            };
            path: {
                /**
                 * @description The ID of the consent which is to be revoked
                 * @example 9c2a58dd-c0ea-4243-9b0f-baef670e7043
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Consent revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request, missing required parameter(s) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Invalid access token or no valid consent present */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unknown server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
    getConsentStatusWithID: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Access token received from the auth server with a client credential grant
                 * @example Bearer 4GWrtt33o6cPVaLic04g9V4uaQgjmELlWpfVJPwVOqU.Z8FQXRKZDIP3ONPkD7FVQ8Jols3qNVUQ315GOcdTqBQ
                 */
                Authorization: string;
            };
            path: {
                /**
                 * @description The ID of the consent
                 * @example 9c2a58dd-c0ea-4243-9b0f-baef670e7043
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successfully fetched consent status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["consent_status"];
                };
            };
            /** @description Bad request, missing required parameter(s) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Invalid access token */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
            /** @description Unknown server error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["error"];
                };
            };
        };
    };
}
