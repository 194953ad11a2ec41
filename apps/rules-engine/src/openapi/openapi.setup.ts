import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * The OpenAPI document, generated from the controllers (routes, access, zod-derived bodies and
 * queries), served at /api/openapi.json with Swagger UI at /api/docs. Both are public: they describe
 * the API, they hold no data.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Hearthbeat engine API')
    .setDescription(
      'Alerts, residents, elevators, devices, away periods, rule settings, registry and webhooks. ' +
        'Sign in with POST /api/auth/login, then send `Authorization: Bearer TOKEN`. Errors: `{"error": code, "message", "field"?}`. ' +
        'Live push: WebSocket /ws?token=TOKEN[&since=SEQ] (docs/api.md).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });
}
