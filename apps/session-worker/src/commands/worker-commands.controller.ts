import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { WORKER_COMMANDS, type WorkerRequest, type WorkerResponse } from '@app/contracts';
import { WorkerHeartbeatService } from '../registry/worker-heartbeat.service';
import { WorkerLifecycle } from '../worker-lifecycle.service';

/** Commands about the worker itself (session commands live with the sessions). */
@Controller()
export class WorkerCommandsController {
  constructor(
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly lifecycle: WorkerLifecycle,
  ) {}

  @MessagePattern(WORKER_COMMANDS.describe)
  describe(@Payload() _request: WorkerRequest<typeof WORKER_COMMANDS.describe>): WorkerResponse<typeof WORKER_COMMANDS.describe> {
    return this.heartbeat.describe();
  }

  @MessagePattern(WORKER_COMMANDS.drain)
  drain(@Payload() _request: WorkerRequest<typeof WORKER_COMMANDS.drain>): Promise<WorkerResponse<typeof WORKER_COMMANDS.drain>> {
    return this.lifecycle.drain();
  }

  @MessagePattern(WORKER_COMMANDS.uncordon)
  uncordon(@Payload() _request: WorkerRequest<typeof WORKER_COMMANDS.uncordon>): Promise<WorkerResponse<typeof WORKER_COMMANDS.uncordon>> {
    return this.lifecycle.uncordon();
  }
}
