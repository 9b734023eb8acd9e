// Framework floor, raw side: Fastify alone answering GET /health/live with {status:'ok'},
// no logger, no hooks. `PORT` picks the port.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/health/live', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
